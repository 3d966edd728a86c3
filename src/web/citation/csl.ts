/** A document as a CSL-JSON item (the format citeproc processors and Zotero read). Pure. */
import type { ResourceDocument } from '../../search/types';
import { citationKind, citationUrl, dateParts, subjectTerms, type CitationKind, type ExportContext } from './common';
import { citationName } from './names';

const CSL_TYPES: Record<CitationKind, string> = {
  report: 'report',
  book: 'book',
  dataset: 'dataset',
  legal: 'legislation',
  article: 'article',
  thesis: 'thesis',
  document: 'document',
};

export type CslItem = Record<string, unknown> & { id: string; type: string; title: string };

export function cslItem(doc: ResourceDocument, ctx: ExportContext): CslItem {
  const item: CslItem = { id: doc.id, type: CSL_TYPES[citationKind(doc.type)], title: doc.title };
  if (doc.authors.length > 0) item.author = doc.authors.map(citationName);
  if (doc.publisher) item.publisher = doc.publisher;
  const parts = dateParts(doc);
  if (parts) item.issued = { 'date-parts': [parts] };
  if (doc.doi) item.DOI = doc.doi;
  item.URL = citationUrl(doc, ctx);
  // CSL has one language per item: the first is the language of the title.
  if (doc.languages[0]) item.language = doc.languages[0];
  if (doc.abstract) item.abstract = doc.abstract;
  if (doc.type) item.genre = doc.type;
  const keywords = subjectTerms(doc, ctx);
  if (keywords.length > 0) item.keyword = keywords.join(', ');
  item.source = ctx.siteName;
  return item;
}
