/** ResourceDocument → the values stored for it in one generation. Pure. */
import { SEARCH_FIELDS, tagToken, type TagLabels } from '../../search/fields';
import type { FacetName, ResourceDocument } from '../../search/types';

export function ftsColumns(doc: ResourceDocument, labels: TagLabels): string[] {
  return SEARCH_FIELDS.map((field) => {
    const text = field.text(doc, labels);
    if (field.name !== 'tags') return text;
    const tokens = [
      ...doc.countries.map((c) => tagToken('countries', c)),
      ...doc.regions.map((r) => tagToken('regions', r)),
      ...doc.themes.map((t) => tagToken('themes', t)),
    ];
    return tokens.length > 0 ? `${text} ${tokens.join(' ')}` : text;
  });
}

export function facetValuesOf(doc: ResourceDocument): [FacetName, string][] {
  const out: [FacetName, string][] = [];
  for (const c of doc.countries) out.push(['country', c]);
  for (const r of doc.regions) out.push(['region', r]);
  for (const t of doc.themes) out.push(['theme', t]);
  if (doc.type) out.push(['type', doc.type]);
  if (doc.publisher) out.push(['publisher', doc.publisher]);
  if (doc.language) out.push(['language', doc.language]);
  return out;
}

const WORD = /[\p{L}][\p{L}\p{N}]{2,29}/gu;

/** Distinct lower-case, accent-free words of the visible text, for spelling suggestions. */
export function suggestionWords(doc: ResourceDocument): Set<string> {
  const text = `${doc.title} ${doc.abstract ?? ''} ${doc.keywords.join(' ')}`
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
  return new Set(text.match(WORD) ?? []);
}
