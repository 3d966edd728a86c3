/**
 * A document as an RIS record (EndNote, Zotero, Mendeley, rispy). Pure.
 * One tag per line ("TY  - RPRT"); repeatable tags repeat; a value never spans lines.
 */
import type { ResourceDocument } from '../../search/types';
import { citationKind, citationUrl, dateParts, subjectTerms, type CitationKind, type ExportContext } from './common';
import { citationName } from './names';

const RIS_TYPES: Record<CitationKind, string> = {
  report: 'RPRT',
  book: 'BOOK',
  dataset: 'DATA',
  legal: 'LEGAL',
  article: 'JOUR',
  thesis: 'THES',
  document: 'GEN',
};

/** Line breaks (and other separators) would end the tag's value early. */
function oneLine(value: string): string {
  return value.replace(/[\r\n\u2028\u2029\u0085]+/g, ' ').trim();
}

export function risRecord(doc: ResourceDocument, ctx: ExportContext): string {
  const lines: [string, string][] = [['TY', RIS_TYPES[citationKind(doc.type)]]];
  lines.push(['TI', doc.title]);
  for (const author of doc.authors) {
    const name = citationName(author);
    // "Family, Given" for people; an organisation as written, without a comma to split at.
    lines.push(['AU', 'literal' in name ? name.literal : `${name.family}, ${name.given}`]);
  }
  const parts = dateParts(doc);
  if (parts) {
    lines.push(['PY', String(parts[0])]);
    // RIS dates are YYYY/MM/DD/ with empty parts left empty.
    lines.push(['DA', `${parts[0]}/${parts[1] !== undefined ? String(parts[1]).padStart(2, '0') : ''}/${parts[2] !== undefined ? String(parts[2]).padStart(2, '0') : ''}/`]);
  }
  if (doc.publisher) lines.push(['PB', doc.publisher]);
  if (doc.doi) lines.push(['DO', doc.doi]);
  lines.push(['UR', citationUrl(doc, ctx)]);
  for (const language of doc.languages) lines.push(['LA', language]);
  if (doc.type) lines.push(['M3', doc.type]);
  if (doc.abstract) lines.push(['AB', doc.abstract]);
  for (const keyword of subjectTerms(doc, ctx)) lines.push(['KW', keyword]);
  lines.push(['DB', ctx.siteName]);
  lines.push(['ID', doc.id]);
  lines.push(['ER', '']);
  return lines.map(([tag, value]) => `${tag}  - ${oneLine(value)}`.trimEnd()).join('\r\n') + '\r\n\r\n';
}
