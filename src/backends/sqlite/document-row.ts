/** ResourceDocument → the values stored for it in one generation. Pure. */
import { FACET_FIELDS, SEARCH_FIELDS, tagToken, tagValues, type TagLabels } from '../../search/fields';
import { FACET_NAMES, type FacetName, type ResourceDocument } from '../../search/types';

export function ftsColumns(doc: ResourceDocument, labels: TagLabels): string[] {
  return SEARCH_FIELDS.map((field) => {
    const text = field.text(doc, labels);
    if (field.name !== 'tags') return text;
    const tokens = (['countries', 'regions', 'themes'] as const).flatMap((tag) => tagValues(doc, tag).map((v) => tagToken(tag, v)));
    return tokens.length > 0 ? `${text} ${tokens.join(' ')}` : text;
  });
}

export function facetValuesOf(doc: ResourceDocument): [FacetName, string][] {
  const out: [FacetName, string][] = [];
  for (const facet of FACET_NAMES) for (const value of FACET_FIELDS[facet].values(doc)) out.push([facet, value]);
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
