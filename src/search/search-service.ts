/**
 * The use-case the web layer calls: analyse the visitor's text, ask the engine, and add what a
 * visitor needs around the results: the records with most of the words when none has all of
 * them, why a record found only through a tag matched, and, when nothing matched, filters to
 * remove and a spelling suggestion.
 */
import { positiveClauses, withMinimumMatch, type AnalysedQuery } from './analysed-query';
import type { ChangeListPage, ChangeListRequest, EngineHealth, FacetValuesRequest, SearchEngine } from './ports';
import { positiveTags } from './query-analyser';
import { RELATED_LIMIT } from './related';
import { suggestSpelling } from './spelling';
import { completionRequest, composeSuggestions, DEFAULT_SUGGESTIONS, NAMES_PER_FIELD, suggestPrefix, type Suggestion } from './suggest';
import type { NameMatch } from './vocabulary/name-completion';
import { explainTagMatches, type TagMatch } from './tag-explanation';
import {
  FACET_NAMES,
  HIGHLIGHT_START,
  type FacetName,
  type FacetValuesPage,
  type IndexStatus,
  type ResourceDocument,
  type SearchQuery,
  type SearchResultPage,
} from './types';

export interface FilterRelaxation {
  /** The facet whose value would be removed ('year' for the year range). */
  facet: FacetName | 'year';
  value: string;
  /** How many results the search has without that one filter value. */
  count: number;
}

/** No record has every word: these are the records with most of them. */
export interface PartialMatch {
  /** The positive parts of the query as typed ("remittances", "trafficking"). */
  terms: string[];
  /** Each record shown has at least this many of them; the ones with most come first. */
  atLeast: number;
}

export interface SearchOutcome {
  query: SearchQuery;
  result: SearchResultPage;
  /** 'partial': no record has every word, and `result` holds those with most of them. */
  match: 'all' | 'partial';
  partial?: PartialMatch;
  /** How the query was read, when operators (AND, OR, NOT, parentheses) were typed. */
  reading?: string;
  /** For hits found only through a tag (no word of the query in their text): the tags that matched, by hit id. */
  tagged: Record<string, TagMatch[]>;
  /** Present when nothing matched every word and another spelling of the text finds some. */
  suggestion?: { text: string; total: number };
  /** Present when there are no results and filters are selected. */
  relaxations: FilterRelaxation[];
}

export type QueryAnalyser = (text: string) => AnalysedQuery;

/** What the service needs of the vocabulary: region members (to explain tags) and names (to correct them). */
export interface ServiceVocabulary {
  regionMembers(id: string): readonly string[];
  /** The closest single-word place name, as the vocabulary writes it. */
  closestName(folded: string): string | undefined;
  isName(folded: string): boolean;
  /** Countries, regions and themes whose names complete a typed prefix (suggestions as you type). */
  completeNames?(prefix: string, limitPerField: number): NameMatch[];
}

/**
 * Records read at a time by results(): each page is a search that ranks every match again, so
 * few large pages (a whole export of 2,000 in four) rather than many small ones.
 */
const RESULTS_PAGE = 500;

export class SearchService {
  constructor(
    private readonly engine: SearchEngine,
    private readonly analyse: QueryAnalyser,
    private readonly vocabulary?: ServiceVocabulary,
  ) {}

  get engineName(): string {
    return this.engine.name;
  }

  /**
   * `facets: false`: the hits and the total without any facet counted (see
   * EngineSearchRequest.facets), for what lists the records a search page shows and nothing else
   * (a feed, the page's export, previous and next on a record's page).
   */
  async search(query: SearchQuery, options: { facets?: false } = {}): Promise<SearchOutcome> {
    const analysed = this.analyse(query.text);
    const result = await this.engine.search({ query, analysed, ...options });
    const outcome: SearchOutcome = { query, result, match: 'all', tagged: {}, relaxations: [] };
    if (analysed.reading) outcome.reading = analysed.reading;
    if (result.total === 0) await this.helpWithNoResults(outcome, analysed, options);
    outcome.tagged = this.explain(outcome.result, analysed);
    return outcome;
  }

  /**
   * Nothing matched: the records with most of the words, a spelling that finds some, and the
   * total without each filter. Each is a count (no hits, no facets), all asked at once; only a
   * partial match that has records is then searched for its page.
   */
  private async helpWithNoResults(outcome: SearchOutcome, analysed: AnalysedQuery, options: { facets?: false }): Promise<void> {
    const { query } = outcome;
    const words = query.text.trim() !== '';
    const levels = words ? this.partialLevels(analysed) : [];
    const [levelCounts, suggestion, relaxations] = await Promise.all([
      Promise.all(levels.map((atLeast) => this.engine.count({ query, analysed: withMinimumMatch(analysed, atLeast) }))),
      words ? this.suggestion(query) : undefined,
      // Filters to remove matter only when no partial match stands in: counted now when none can.
      levels.length === 0 ? this.relaxations(query, analysed) : undefined,
    ]);
    if (suggestion) outcome.suggestion = suggestion;
    const atLeast = levels.find((_, i) => (levelCounts[i] ?? 0) > 0);
    if (atLeast !== undefined) {
      const result = await this.engine.search({ query, analysed: withMinimumMatch(analysed, atLeast), ...options });
      if (result.total > 0) {
        outcome.result = result;
        outcome.match = 'partial';
        outcome.partial = { terms: positiveClauses(analysed).map((c) => c.source), atLeast };
        return;
      }
    }
    outcome.relaxations = relaxations ?? (await this.relaxations(query, analysed));
  }

  /** Every value of one facet for a search (the facet's own page, and finding a value by name). */
  facetValues(request: Omit<FacetValuesRequest, 'analysed'>): Promise<FacetValuesPage> {
    return this.engine.facetValues({ ...request, analysed: this.analyse(request.query.text) });
  }

  /**
   * Every result of `query` in its order, up to `limit`, read a page at a time (exports): the
   * caller holds one page at most, never the whole result.
   */
  async *results(query: SearchQuery, limit: number, pageSize = RESULTS_PAGE): AsyncIterable<ResourceDocument> {
    let sent = 0;
    const analysed = this.analyse(query.text);
    for (let page = 1; sent < limit; page++) {
      // Every record of the query (no "most of the words" when none has them all), nothing counted.
      const result = await this.engine.search({ query: { ...query, page, size: pageSize }, analysed, facets: false });
      for (const hit of result.hits) {
        if (sent >= limit) return;
        sent++;
        yield hit.document;
      }
      if (result.hits.length < pageSize || page * pageSize >= result.total) return;
    }
  }

  /** Documents in datestamp order (OAI-PMH, sitemaps): see ChangeListRequest. */
  listChanges(request: ChangeListRequest): Promise<ChangeListPage> {
    return this.engine.listChanges(request);
  }

  get(id: string): Promise<ResourceDocument | null> {
    return this.engine.get(id);
  }

  /** Records most like this one (see SearchEngine.related). */
  related(document: ResourceDocument, limit = RELATED_LIMIT): Promise<ResourceDocument[]> {
    return this.engine.related({ document, limit });
  }

  /**
   * Suggestions for what a visitor is typing (see suggest.ts): at most `limit`, none for text too
   * short or too long to complete.
   */
  async suggest(text: string, limit = DEFAULT_SUGGESTIONS): Promise<Suggestion[]> {
    const prefix = suggestPrefix(text);
    if (prefix === undefined) return [];
    const names = this.vocabulary?.completeNames?.(prefix, NAMES_PER_FIELD) ?? [];
    const completions = await this.engine.complete(completionRequest(prefix, names, limit));
    return composeSuggestions(prefix, names, completions, limit);
  }

  status(): Promise<IndexStatus> {
    return this.engine.status();
  }

  health(): Promise<EngineHealth> {
    return this.engine.health();
  }

  /**
   * No record has every word: those with most of them, at least half (then at least one), the
   * records with more of the words first. Not when the visitor wrote operators: AND means all.
   * The levels to try, most words first.
   */
  private partialLevels(analysed: AnalysedQuery): number[] {
    if (!analysed.relaxable) return [];
    const clauses = positiveClauses(analysed).length;
    return [...new Set([Math.max(1, Math.ceil(clauses / 2)), 1])].filter((atLeast) => atLeast < clauses);
  }

  /** Tags that brought in hits whose text has none of the query's words (nothing marked). */
  private explain(result: SearchResultPage, analysed: AnalysedQuery): Record<string, TagMatch[]> {
    const tags = positiveTags(analysed);
    const out: Record<string, TagMatch[]> = {};
    if (tags.length === 0) return out;
    const members = (id: string): readonly string[] => this.vocabulary?.regionMembers(id) ?? [];
    for (const hit of result.hits) {
      const marked = hit.title.includes(HIGHLIGHT_START) || hit.snippets.some((s) => s.includes(HIGHLIGHT_START));
      if (marked) continue;
      const matches = explainTagMatches(hit.document, tags, members);
      if (matches.length > 0) out[hit.id] = matches;
    }
    return out;
  }

  /** One count per selected filter value: the total if that value alone were removed. */
  private relaxations(query: SearchQuery, analysed: AnalysedQuery): Promise<FilterRelaxation[]> {
    const count = (changed: Partial<SearchQuery>): Promise<number> => this.engine.count({ query: { ...query, ...changed }, analysed });
    const tasks: Promise<FilterRelaxation>[] = [];
    for (const facet of FACET_NAMES) {
      for (const value of query.filters[facet]) {
        const filters = { ...query.filters, [facet]: query.filters[facet].filter((v) => v !== value) };
        tasks.push(count({ filters }).then((n) => ({ facet, value, count: n })));
      }
    }
    if (query.yearFrom !== undefined || query.yearTo !== undefined || query.undatedOnly) {
      const value = query.undatedOnly ? 'undated' : `${query.yearFrom ?? ''}–${query.yearTo ?? ''}`;
      const noYears = { yearFrom: undefined, yearTo: undefined, undatedOnly: undefined, includeUndated: undefined };
      tasks.push(count(noYears).then((n) => ({ facet: 'year' as const, value, count: n })));
    }
    return Promise.all(tasks);
  }

  /** The text with misspelt words corrected, if that finds results. */
  private async suggestion(query: SearchQuery): Promise<{ text: string; total: number } | undefined> {
    const vocabulary = this.vocabulary;
    const text = await suggestSpelling(query.text, {
      closestName: (w) => vocabulary?.closestName(w),
      isName: (w) => vocabulary?.isName(w) ?? false,
      closestWord: async (w) => (await this.engine.suggestWords(w, 1))[0],
      frequency: (w) => this.engine.wordFrequency(w),
    });
    if (text === undefined) return undefined;
    const total = await this.engine.count({ query: { ...query, text }, analysed: this.analyse(text) });
    return total > 0 ? { text, total } : undefined;
  }
}
