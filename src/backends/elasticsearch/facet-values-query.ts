/**
 * FacetValuesRequest → Elasticsearch search body, and what it needs from the response. Pure.
 *
 * One terms aggregation over the facet's keyword field, under the search's text query and every
 * filter except the facet's own (disjunctive counts, as search() gives them). The values are then
 * matched, ordered and paged by src/search/facet-values.ts, as the embedded engine does, so both
 * agree to the label. Facets of a vocabulary have a few hundred values at most and are read
 * whole; a free-text facet (publishers) can have many, so a typed prefix is sent along as an
 * `include` pattern that keeps the aggregation small. The pattern is built from the folded words
 * of the prefix only: letters and digits inside character classes, `.*` and `.+` between them, so
 * nothing a visitor types becomes regular-expression syntax. It finds at least every value the
 * prefix matches (the exact word-start match is then checked in facet-values.ts).
 */
import type { estypes } from '@elastic/elasticsearch';
import { FACET_FIELDS } from '../../search/fields';
import { MAX_FACET_VALUES, type FacetValuesRequest } from '../../search/ports';
import { foldToken, toWords } from '../../search/vocabulary/text';
import { AGG, filtersExcept, selectedCounts, textQuery, type EsSearchBody } from './translate-query';

/** Well within Elasticsearch's index.max_regex_length (1,000): a longer prefix is cut, which only widens the match. */
const MAX_PATTERN_LENGTH = 800;

/**
 * The Latin letters of Unicode (Latin-1, Extended-A and -B, Extended Additional) by the letter
 * they fold to ("e" → eèéêëēĕėęěȅȇẹẻẽếề…; "s" → sśŝşšșS…), so that Romanian ș or Vietnamese ệ in
 * a publisher's name is found by the folded letter, as the embedded engine finds it.
 */
const LATIN_RANGES: readonly [number, number][] = [
  [0x30, 0x24f],
  [0x1e00, 0x1eff],
];
const VARIANTS: ReadonlyMap<string, string> = (() => {
  const byFolded = new Map<string, string>();
  for (const [from, to] of LATIN_RANGES) {
    for (let code = from; code <= to; code++) {
      const c = String.fromCharCode(code);
      if (!/[\p{L}\p{N}]/u.test(c)) continue;
      const folded = foldToken(c);
      if (folded.length === 1) byFolded.set(folded, (byFolded.get(folded) ?? '') + c);
    }
  }
  return byFolded;
})();

function charClass(c: string): string {
  const variants = new Set([c, c.toUpperCase(), ...(VARIANTS.get(c) ?? '')]);
  // Only letters and digits go in: none of them is special inside a Lucene character class.
  return `[${[...variants].filter((v) => /^[\p{L}\p{N}]$/u.test(v)).join('')}]`;
}

/** A Lucene regular expression that every value with a word starting with `prefix` matches; undefined for no prefix. */
export function prefixPattern(prefix: string | undefined): string | undefined {
  const words = toWords(prefix ?? '');
  if (words.length === 0) return undefined;
  let pattern = '.*';
  // Cut at a letter once the pattern is long enough: a shorter prefix matches more, never less.
  cut: for (const [i, word] of words.entries()) {
    for (const [j, c] of [...word].entries()) {
      const part = (i > 0 && j === 0 ? '.+' : '') + charClass(c);
      if (pattern.length + part.length + 2 > MAX_PATTERN_LENGTH) break cut;
      pattern += part;
    }
  }
  return pattern === '.*' ? undefined : `${pattern}.*`;
}

export function facetValuesBody(request: FacetValuesRequest): EsSearchBody {
  const { query, facet } = request;
  const declared = FACET_FIELDS[facet];
  const terms: estypes.AggregationsTermsAggregation = { field: declared.field, size: MAX_FACET_VALUES };
  // Vocabulary facets store codes: a prefix of their label cannot be matched here.
  const include = declared.labelKind === 'self' ? prefixPattern(request.prefix) : undefined;
  if (include) terms.include = include;
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = { [AGG.values]: { terms } };
  const selected = selectedCounts(declared.field, query.filters[facet]);
  if (selected) aggs[AGG.selected] = selected;
  const text = textQuery(request.analysed).query;
  const filter = filtersExcept(query, facet);
  return {
    query: filter ? { bool: { must: [text], filter: [filter] } } : text,
    size: 0,
    track_total_hits: false,
    aggs,
  };
}
