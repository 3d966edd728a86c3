/**
 * The searchable fields and their boosts: the single source from which both engine adapters
 * derive their schema (FTS5 columns and bm25 weights; Elasticsearch mappings and field boosts),
 * so relevance agrees across engines.
 */
import type { ResourceDocument } from './types';
import type { TagField } from './analysed-query';

export interface SearchField {
  name: 'title' | 'tags' | 'keywords' | 'abstract' | 'people';
  boost: number;
  /** Text of this field for one document. */
  text(doc: ResourceDocument, labels: TagLabels): string;
}

/** Turns tag ids into display labels, so "Laos" typed finds a record tagged LAO by its label too. */
export interface TagLabels {
  countryLabel(code: string): string | undefined;
  regionLabel(id: string): string | undefined;
  themeLabel(id: string): string | undefined;
}

function labelsOf(ids: string[], label: (id: string) => string | undefined): string {
  return ids.map((id) => label(id) ?? '').filter(Boolean).join('. ');
}

export const SEARCH_FIELDS: readonly SearchField[] = [
  { name: 'title', boost: 10, text: (d) => d.title },
  {
    // Labels of stated and found tags only: derived regions ("Asia" for every Asian country)
    // would make a broad word match far too much.
    name: 'tags',
    boost: 4,
    text: (d, l) =>
      [
        labelsOf(d.countries, (c) => l.countryLabel(c)),
        labelsOf([...d.tagging.regions.given, ...d.tagging.regions.found], (r) => l.regionLabel(r)),
        labelsOf(d.themes, (t) => l.themeLabel(t)),
      ]
        .filter(Boolean)
        .join('. '),
  },
  { name: 'keywords', boost: 3, text: (d) => d.keywords.join('. ') },
  { name: 'abstract', boost: 1, text: (d) => d.abstract ?? '' },
  { name: 'people', boost: 1, text: (d) => [d.publisher ?? '', ...d.authors].filter(Boolean).join('. ') },
];

/** Synthetic tokens that stand for a tag in full-text engines that have no keyword fields. */
export function tagToken(field: TagField, value: string): string {
  const prefix = field === 'countries' ? 'qc' : field === 'regions' ? 'qr' : 'qt';
  return prefix + value.toLowerCase().replace(/[^a-z0-9]/g, '');
}
