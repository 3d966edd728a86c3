/**
 * The use-case the web layer calls: analyse the visitor's text, ask the engine, and add the
 * help a visitor needs when nothing matched (filters to remove, a spelling suggestion).
 */
import type { AnalysedQuery } from './analysed-query';
import type { EngineHealth, FacetValuesRequest, SearchEngine } from './ports';
import {
  FACET_NAMES,
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

export interface SearchOutcome {
  query: SearchQuery;
  result: SearchResultPage;
  /** Present when there are no results and another spelling of the text finds some. */
  suggestion?: { text: string; total: number };
  /** Present when there are no results and filters are selected. */
  relaxations: FilterRelaxation[];
}

export type QueryAnalyser = (text: string) => AnalysedQuery;

export class SearchService {
  constructor(
    private readonly engine: SearchEngine,
    private readonly analyse: QueryAnalyser,
  ) {}

  get engineName(): string {
    return this.engine.name;
  }

  async search(query: SearchQuery): Promise<SearchOutcome> {
    const result = await this.run(query);
    const outcome: SearchOutcome = { query, result, relaxations: [] };
    if (result.total === 0) {
      outcome.relaxations = await this.relaxations(query);
      outcome.suggestion = await this.suggestion(query);
    }
    return outcome;
  }

  /** Every value of one facet for a search (the facet's own page, and finding a value by name). */
  facetValues(request: Omit<FacetValuesRequest, 'analysed'>): Promise<FacetValuesPage> {
    return this.engine.facetValues({ ...request, analysed: this.analyse(request.query.text) });
  }

  get(id: string): Promise<ResourceDocument | null> {
    return this.engine.get(id);
  }

  status(): Promise<IndexStatus> {
    return this.engine.status();
  }

  health(): Promise<EngineHealth> {
    return this.engine.health();
  }

  private run(query: SearchQuery): Promise<SearchResultPage> {
    return this.engine.search({ query, analysed: this.analyse(query.text) });
  }

  /** One count per selected filter value: the total if that value alone were removed. */
  private async relaxations(query: SearchQuery): Promise<FilterRelaxation[]> {
    const countOnly = { ...query, page: 1, size: 1 };
    const tasks: Promise<FilterRelaxation>[] = [];
    for (const facet of FACET_NAMES) {
      for (const value of query.filters[facet]) {
        const filters = { ...query.filters, [facet]: query.filters[facet].filter((v) => v !== value) };
        tasks.push(this.run({ ...countOnly, filters }).then((r) => ({ facet, value, count: r.total })));
      }
    }
    if (query.yearFrom !== undefined || query.yearTo !== undefined || query.undatedOnly) {
      const value = query.undatedOnly ? 'undated' : `${query.yearFrom ?? ''}–${query.yearTo ?? ''}`;
      tasks.push(
        this.run({ ...countOnly, yearFrom: undefined, yearTo: undefined, undatedOnly: undefined }).then((r) => ({
          facet: 'year' as const,
          value,
          count: r.total,
        })),
      );
    }
    return Promise.all(tasks);
  }

  /** Replaces each unknown-looking word with the most frequent close indexed word, if that finds results. */
  private async suggestion(query: SearchQuery): Promise<{ text: string; total: number } | undefined> {
    const words = query.text.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0 || words.length > 8) return undefined;
    let changed = false;
    let text = query.text;
    for (const word of words) {
      if (word.length < 3) continue;
      const [best] = await this.engine.suggestWords(word.toLowerCase(), 1);
      if (best && best !== word.toLowerCase()) {
        text = text.replace(word, best);
        changed = true;
      }
    }
    if (!changed) return undefined;
    const result = await this.run({ ...query, text, page: 1, size: 1 });
    return result.total > 0 ? { text, total: result.total } : undefined;
  }
}
