/**
 * A document as a BibTeX entry. Pure.
 *
 * Values are written in braces with the characters LaTeX treats specially escaped (\&, \%, \{ …),
 * so any title survives a LaTeX run and a BibTeX parser alike; other characters (accents, any
 * script) stay as UTF-8, which biber and bibtexparser read directly. Corporate authors are wrapped
 * in their own braces, the BibTeX way of saying "one name, do not split it".
 */
import type { ResourceDocument } from '../../search/types';
import { citationKind, citationUrl, dateParts, subjectTerms, type ExportContext } from './common';
import { citationName } from './names';

const LATEX_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '%': '\\%',
  '&': '\\&',
  '#': '\\#',
  $: '\\$',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

export function latexEscape(value: string): string {
  return value.replace(/[\\{}%&#$_~^]/g, (c) => LATEX_SPECIAL[c]!).replace(/\s+/g, ' ').trim();
}

function verbatim(value: string): string {
  return value.replace(/[{}\\\s]/g, encodeURIComponent);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function keyPart(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')[0]!
    .toLowerCase();
}

/** "harkins2019migrant": author (or publisher), year and first title word, ASCII only. */
export function citationKey(doc: ResourceDocument): string {
  const first = doc.authors[0] ? citationName(doc.authors[0]) : undefined;
  const who = first ? ('literal' in first ? first.literal : first.family) : (doc.publisher ?? '');
  const titleWord = doc.title.split(/\s+/).map(keyPart).find((w) => w.length > 3) ?? keyPart(doc.title);
  const key = `${keyPart(who)}${doc.year ?? 'nd'}${titleWord}`;
  return key === 'nd' ? 'corridor' : key;
}

/** Keys unique within one export: a second "ilo2019labour" becomes "ilo2019labour-b". */
export function keyAllocator(): (doc: ResourceDocument) => string {
  const used = new Map<string, number>();
  return (doc) => {
    const base = citationKey(doc);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}-${String.fromCharCode(96 + Math.min(n, 26))}${n > 26 ? n : ''}`;
  };
}

export function bibtexEntry(doc: ResourceDocument, ctx: ExportContext, key = citationKey(doc)): string {
  const kind = citationKind(doc.type);
  const entryType = kind === 'book' ? 'book' : kind === 'report' && doc.publisher ? 'techreport' : kind === 'thesis' ? 'phdthesis' : 'misc';
  const fields: [string, string][] = [];
  // Double braces keep the title's capitals as written.
  fields.push(['title', `{${latexEscape(doc.title)}}`]);
  if (doc.authors.length > 0) {
    const names = doc.authors.map((a) => {
      const name = citationName(a);
      return 'literal' in name ? `{${latexEscape(name.literal)}}` : `${latexEscape(name.family)}, ${latexEscape(name.given)}`;
    });
    fields.push(['author', names.join(' and ')]);
  }
  if (doc.publisher) fields.push([entryType === 'techreport' ? 'institution' : 'publisher', latexEscape(doc.publisher)]);
  const parts = dateParts(doc);
  if (parts) {
    fields.push(['year', String(parts[0])]);
    if (parts[1] !== undefined) fields.push(['month', MONTHS[parts[1] - 1] ?? String(parts[1])]);
    if (doc.published && parts.length === 3) fields.push(['date', doc.published]);
  }
  if (doc.type && entryType !== 'book') fields.push(['type', latexEscape(doc.type)]);
  // doi and url are verbatim fields (biblatex, the url package): written as they are, except
  // that braces and backslashes, which would break the entry, are percent-encoded.
  if (doc.doi) fields.push(['doi', verbatim(doc.doi)]);
  fields.push(['url', verbatim(citationUrl(doc, ctx))]);
  if (doc.languages.length > 0) fields.push(['language', doc.languages.join(', ')]);
  if (doc.abstract) fields.push(['abstract', latexEscape(doc.abstract)]);
  const keywords = subjectTerms(doc, ctx);
  if (keywords.length > 0) fields.push(['keywords', latexEscape(keywords.join(', '))]);
  const body = fields.map(([name, value]) => `  ${name} = {${value}}`).join(',\n');
  return `@${entryType}{${key},\n${body}\n}\n\n`;
}
