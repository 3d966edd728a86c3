/**
 * What reference managers and search engines read from a resource page's <head>: Highwire Press
 * `citation_*` meta tags (Zotero, Mendeley, Google Scholar) and schema.org JSON-LD. Pure.
 */
import type { ResourceDocument } from '../../search/types';
import { citationKind, citationUrl, dateParts, pageUrl, subjectTerms, type CitationKind, type ExportContext } from './common';
import { citationName } from './names';

export type MetaTag = { name: string; content: string };

export function highwireTags(doc: ResourceDocument, ctx: ExportContext): MetaTag[] {
  const tags: MetaTag[] = [{ name: 'citation_title', content: doc.title }];
  for (const author of doc.authors) {
    const name = citationName(author);
    tags.push({ name: 'citation_author', content: 'literal' in name ? name.literal : `${name.family}, ${name.given}` });
  }
  const parts = dateParts(doc);
  // Highwire dates are YYYY/MM/DD, or as much of it as is known.
  if (parts) tags.push({ name: 'citation_publication_date', content: parts.map((p, i) => (i === 0 ? String(p) : String(p).padStart(2, '0'))).join('/') });
  if (doc.publisher) {
    tags.push({ name: 'citation_publisher', content: doc.publisher });
    if (citationKind(doc.type) === 'report') tags.push({ name: 'citation_technical_report_institution', content: doc.publisher });
  }
  if (doc.doi) tags.push({ name: 'citation_doi', content: doc.doi });
  const original = citationUrl(doc, ctx);
  if (/\.pdf(?:$|[?#])/i.test(original)) tags.push({ name: 'citation_pdf_url', content: original });
  tags.push({ name: 'citation_abstract_html_url', content: pageUrl(doc, ctx) });
  for (const language of doc.languages) tags.push({ name: 'citation_language', content: language });
  const keywords = subjectTerms(doc, ctx);
  if (keywords.length > 0) tags.push({ name: 'citation_keywords', content: keywords.join('; ') });
  return tags;
}

const SCHEMA_TYPES: Record<CitationKind, string> = {
  report: 'Report',
  book: 'Book',
  dataset: 'Dataset',
  legal: 'Legislation',
  article: 'ScholarlyArticle',
  thesis: 'Thesis',
  document: 'CreativeWork',
};

export function jsonLd(doc: ResourceDocument, ctx: ExportContext): Record<string, unknown> {
  const page = pageUrl(doc, ctx);
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': SCHEMA_TYPES[citationKind(doc.type)],
    '@id': page,
    url: page,
    name: doc.title,
  };
  if (doc.abstract) data.description = doc.abstract;
  if (doc.authors.length > 0) {
    data.author = doc.authors.map((a) => {
      const name = citationName(a);
      return 'literal' in name
        ? { '@type': 'Organization', name: name.literal }
        : { '@type': 'Person', name: `${name.given} ${name.family}`, givenName: name.given, familyName: name.family };
    });
  }
  if (doc.publishers.length > 0) data.publisher = doc.publishers.map((name) => ({ '@type': 'Organization', name }));
  if (doc.published) data.datePublished = doc.published;
  else if (doc.year !== undefined) data.datePublished = String(doc.year);
  if (doc.changed) data.dateModified = doc.changed;
  if (doc.languages.length > 0) data.inLanguage = doc.languages.length === 1 ? doc.languages[0] : doc.languages;
  const about = [
    ...doc.countries.map((code) => ({ '@type': 'Country', name: ctx.labels.countryLabel(code) ?? code, identifier: code })),
    ...doc.themes.map((id) => ({ '@type': 'DefinedTerm', name: ctx.labels.themeLabel(id) ?? id, termCode: id })),
  ];
  if (about.length > 0) data.about = about;
  if (doc.keywords.length > 0) data.keywords = doc.keywords.join(', ');
  if (doc.type) data.genre = doc.type;
  if (doc.doi) data.identifier = { '@type': 'PropertyValue', propertyID: 'DOI', value: doc.doi, url: `https://doi.org/${doc.doi}` };
  const original = citationUrl(doc, ctx);
  if (original !== page) data.sameAs = original;
  data.isPartOf = { '@type': 'WebSite', name: ctx.siteName, url: `${ctx.baseUrl}/` };
  return data;
}

/**
 * JSON for an inline <script type="application/ld+json">: "<", ">" and "&" as \u escapes, so no
 * record text can close the script element, and the line separators JavaScript once disallowed.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
