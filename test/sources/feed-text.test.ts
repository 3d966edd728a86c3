/**
 * Text constructs of feeds read as the specifications say: Atom 1.0 `type` text / html / xhtml
 * (RFC 4287 §3.1), Atom 0.3 `mode` xml / escaped / base64, and HTML turned into plain text with
 * every HTML entity a publisher may use.
 */
import { parseFeed } from '../../indexer/sources/feed-parse';
import { htmlToText } from '../../indexer/sources/html-text';

const atom10 = (entry: string) =>
  `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>urn:x:1</id>${entry}</entry></feed>`;
const atom03 = (entry: string) =>
  `<?xml version="1.0" encoding="utf-8"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title><entry><id>urn:x:1</id>${entry}</entry></feed>`;
const first = (xml: string) => parseFeed(xml, 'src').entries[0]!.record;

describe('Atom 1.0 text constructs', () => {
  it('reads type="xhtml" in document order', () => {
    const record = first(
      atom10(
        '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Labour <b>migration</b> from Nepal</div></title>' +
          '<summary type="xhtml"><xhtml:div xmlns:xhtml="http://www.w3.org/1999/xhtml"><xhtml:p>Fees <xhtml:em>paid</xhtml:em> by workers.</xhtml:p><xhtml:p>Second <xhtml:a href="/x">paragraph</xhtml:a> &amp; more.</xhtml:p></xhtml:div></summary>',
      ),
    );
    expect(record.title).toBe('Labour migration from Nepal');
    expect(record.abstract).toBe('Fees paid by workers.\n\nSecond paragraph & more.');
  });

  it('unescapes type="html" once and strips the markup; keeps type="text" as written', () => {
    const record = first(
      atom10('<title type="html">Recruitment &lt;em&gt;fees&lt;/em&gt; &amp;amp; debt &amp;ndash; Qatar</title><summary type="text">Why 3 &lt; 4 &amp; &lt;b&gt; stays</summary>'),
    );
    expect(record.title).toBe('Recruitment fees & debt – Qatar');
    expect(record.abstract).toBe('Why 3 < 4 & <b> stays');
    expect(first(atom10('<title>AT&amp;T &lt;b&gt;not bold&lt;/b&gt;</title>')).title).toBe('AT&T <b>not bold</b>');
  });

  it('reads a content given as a MIME type: text/html like html, text/plain like text', () => {
    expect(first(atom10('<title>T</title><content type="text/html">&lt;p&gt;A &lt;i&gt;b&lt;/i&gt;&lt;/p&gt;</content>')).abstract).toBe('A b');
    expect(first(atom10('<title>T</title><content type="text/plain">&lt;p&gt; stays</content>')).abstract).toBe('<p> stays');
  });
});

describe('Atom 0.3 content modes', () => {
  it('unescapes mode="escaped" and strips its markup', () => {
    const record = first(atom03('<title mode="escaped" type="text/html">Migrants &lt;i&gt;in&lt;/i&gt; the Gulf &amp;amp; beyond</title>'));
    expect(record.title).toBe('Migrants in the Gulf & beyond');
  });

  it('reads mode="xml" in document order, and decodes mode="base64"', () => {
    const html = Buffer.from('<p>Remittances <b>to</b> Tajikistan&hellip;</p>').toString('base64');
    const record = first(
      atom03(
        '<title mode="xml" type="application/xhtml+xml"><div xmlns="http://www.w3.org/1999/xhtml">Domestic <b>workers</b> in Lebanon</div></title>' +
          `<summary mode="base64" type="text/html">${html}</summary>`,
      ),
    );
    expect(record.title).toBe('Domestic workers in Lebanon');
    expect(record.abstract).toBe('Remittances to Tajikistan…');
  });

  it('treats a plain title (mode="xml" by default, type text/plain) as text', () => {
    expect(first(atom03('<title>Kafala &amp; reform</title>')).title).toBe('Kafala & reform');
  });
});

describe('htmlToText', () => {
  it('decodes every HTML entity, with or without the semicolon where HTML allows it', () => {
    expect(htmlToText('<p>&Ccedil;a &notin; &frac78; &hellip; &eacute;t&eacute; &amp;copy &copy 2024</p>')).toBe('Ça ∉ ⅞ … été &copy © 2024');
  });

  it('keeps paragraphs and list items apart, drops scripts, styles and comments', () => {
    expect(htmlToText('<div>One<p>Two</p>Three</div><style>p{}</style><!-- c --><ol><li>a<li>b</ol><script>x()</script>')).toBe(
      'One\n\nTwo\n\nThree\n\n• a\n• b',
    );
    expect(htmlToText('a<br/>b<table><tr><td>c</td><td>d</td></tr></table>')).toBe('a\nb\n\nc d');
  });

  it('leaves text that is not markup alone', () => {
    expect(htmlToText('3 < 4 and 5 > 2, A&B')).toBe('3 < 4 and 5 > 2, A&B');
  });
});
