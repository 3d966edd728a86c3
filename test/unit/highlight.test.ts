import { escapeHtml, renderHighlight, stripHighlight } from '../../src/web/highlight';

const S = '\u0001';
const E = '\u0002';

describe('renderHighlight', () => {
  it('wraps marked matches in <mark>', () => {
    expect(renderHighlight(`Domestic ${S}workers${E} in the ${S}Gulf${E}`)).toBe('Domestic <mark>workers</mark> in the <mark>Gulf</mark>');
  });

  it('returns plain text escaped when nothing is marked', () => {
    expect(renderHighlight('Wages & arrears')).toBe('Wages &amp; arrears');
  });

  it('escapes markup in record text before adding marks', () => {
    const html = renderHighlight(`<script>alert("x")</script> ${S}<b>migrants</b>${E}`);
    expect(html).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>&lt;b&gt;migrants&lt;/b&gt;</mark>');
    expect(html).not.toMatch(/<(?!\/?mark>)/);
  });

  it('escapes ampersands, quotes and apostrophes', () => {
    expect(renderHighlight(`"Tom & Jerry's" ${S}&amp;${E}`)).toBe('&quot;Tom &amp; Jerry&#39;s&quot; <mark>&amp;amp;</mark>');
  });

  it('cannot be tricked into an attribute or a closing mark by record content', () => {
    const html = renderHighlight(`${S}</mark><img src=x onerror=alert(1)>${E}`);
    expect(html).toBe('<mark>&lt;/mark&gt;&lt;img src=x onerror=alert(1)&gt;</mark>');
  });

  it('drops an end without a start', () => {
    expect(renderHighlight(`a${E}b`)).toBe('ab');
  });

  it('drops an unclosed start but keeps its text', () => {
    expect(renderHighlight(`a ${S}b <c>`)).toBe('a b &lt;c&gt;');
  });

  it('never nests marks: a start inside an open mark is ignored', () => {
    expect(renderHighlight(`${S}a${S}b${E}c${E}`)).toBe('<mark>ab</mark>c');
  });

  it('drops empty marks', () => {
    expect(renderHighlight(`a${S}${E}b`)).toBe('ab');
  });

  it('never lets a sentinel through', () => {
    for (const input of [`${S}`, `${E}`, `${S}${S}x${E}${E}${E}`, `x${E}${S}`, `${E}${S}y`]) {
      const html = renderHighlight(input);
      expect(html).not.toMatch(/[\u0001\u0002]/);
      expect(html.match(/<mark>/g)?.length ?? 0).toBe(html.match(/<\/mark>/g)?.length ?? 0);
    }
  });

  it('handles the empty string', () => {
    expect(renderHighlight('')).toBe('');
  });
});

describe('escapeHtml and stripHighlight', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('removes sentinels', () => {
    expect(stripHighlight(`${S}Lao${E} PDR ${E}`)).toBe('Lao PDR ');
  });
});
