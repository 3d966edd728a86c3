/**
 * What the web layer needs to know about the vocabulary: labels, which facet values exist, and
 * the UN M49 hierarchy. src/search/vocabulary/vocabulary.ts implements it; declared here so the
 * web depends on the shape, not on the vocabulary module (tests can give a small stub).
 */
import type { FacetValueCheck } from '../search/params';
import { ISO_639_1 } from '../search/languages';
import type { GeographyTree } from '../search/vocabulary/geography';
import type { FacetName } from '../search/types';
import { parseCorridor } from '../search/vocabulary/corridors';
import type { LabelLookup } from './labels';

export interface SiteVocabulary extends LabelLookup {
  country(code: string): unknown;
  theme(id: string): unknown;
  /** A UN M49 region or sub-region (the region facet). */
  isGeography(id: string): boolean;
  /** A bloc, consultative process or informal grouping (the grouping facet). */
  isGrouping(id: string): boolean;
  geography(): GeographyTree;
}

/** Facet values that exist, for parseSearchParams: an unknown one is a named 400. */
export function facetValueCheck(vocab: SiteVocabulary): FacetValueCheck {
  return (facet: FacetName, value: string): boolean => {
    switch (facet) {
      case 'country':
        return vocab.country(value) !== undefined;
      case 'region':
        return vocab.isGeography(value);
      case 'grouping':
        return vocab.isGrouping(value);
      case 'theme':
        return vocab.theme(value) !== undefined;
      case 'corridor': {
        const pair = parseCorridor(value);
        return pair !== undefined && vocab.country(pair.origin) !== undefined && vocab.country(pair.destination) !== undefined;
      }
      case 'language':
        return ISO_639_1.has(value);
      case 'type':
      case 'publisher':
        return true;
    }
  };
}

/**
 * Links made before groupings had a facet of their own say region=asean. Returns the same
 * address with such values moved to `grouping` (for a permanent redirect), or undefined when
 * there is nothing to move.
 */
export function movedGroupingsHref(path: string, raw: Record<string, unknown>, vocab: SiteVocabulary): string | undefined {
  const regions = raw.region === undefined ? [] : (Array.isArray(raw.region) ? raw.region : [raw.region]).map(String);
  if (!regions.some((r) => vocab.isGrouping(r.trim().toLowerCase()))) return undefined;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(raw)) {
    for (const v of (Array.isArray(value) ? value : [value]).map(String)) {
      const moved = name === 'region' && vocab.isGrouping(v.trim().toLowerCase());
      params.append(moved ? 'grouping' : name, v);
    }
  }
  return `${path}?${params.toString()}`;
}
