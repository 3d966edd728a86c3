/**
 * The use-case the web layer calls: analyse the visitor's text, ask the engine, and add the
 * help a visitor needs when nothing matched (filters to remove, a spelling suggestion).
 */
import type { AnalysedQuery } from './analysed-query';
import type { ChangeListPage, ChangeListRequest, EngineHealth, SearchEngine } from './ports';
import { FACET_NAMES, type FacetName, type IndexStatus, type ResourceDocument, type SearchQuery, type SearchResultPage } from './types';

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

  /**
   * Every result of `query` in its order, up to `limit`, read a page at a time (exports): the
   * caller holds one page at most, never the whole result.
   */
  async *results(query: SearchQuery, limit: number, pageSize = 100): AsyncIterable<ResourceDocument> {
    let sent = 0;
    for (let page = 1; sent < limit; page++) {
      const result = await this.run({ ...query, page, size: pageSize });
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
