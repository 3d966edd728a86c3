/**
 * Warming a generation right after it goes live: the searches visitors make first — the home
 * page (every record, newest first) and each of the values it lists first under every facet —
 * are run once, exactly as the engine sends them (translate-query.ts searchItems). Their counts
 * then come from the shard request cache, and the index's files are in memory, before a visitor
 * asks: a first visitor no longer pays for counting every facet over the whole library.
 *
 * Warming never delays the commit that made the generation live, and never fails a run: it is
 * an optimisation, so its errors are dropped (a search that finds the cache cold is only slower).
 */
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_PAGE_SIZE } from '../../search/params';
import { defaultSort } from '../../search/result-rules';
import { FACET_NAMES, type FacetFilters, type FacetName, type SearchQuery } from '../../search/types';
import { facetCounts } from './read-response';
import { searchItems } from './translate-query';

/** Values of each facet warmed as a filter of their own: the ones the home page shows first. */
export const WARM_VALUES_PER_FACET = 8;

function browse(facet?: FacetName, value?: string): SearchQuery {
  const filters = Object.fromEntries(FACET_NAMES.map((f) => [f, f === facet && value !== undefined ? [value] : []])) as unknown as FacetFilters;
  return { text: '', filters, sort: defaultSort(''), page: 1, size: DEFAULT_PAGE_SIZE };
}

/**
 * Runs the warming searches on `index` one after another (visitors' searches go first), until
 * done or `stopped`; returns how many ran.
 */
export async function warmUp(client: Client, index: string, stopped: () => boolean = () => false): Promise<number> {
  const search = async (query: SearchQuery): Promise<Record<string, unknown>> => {
    const result = await client.msearch({ searches: searchItems(index, { query, analysed: { clauses: [], proximityWords: [] } }).searches });
    const counts = result.responses[result.responses.length - 1];
    // The aggregation results are loosely typed by the client; their shape is fixed by translate-query.ts.
    return (counts && !('error' in counts) ? counts.aggregations : undefined) ?? {};
  };
  const home = browse();
  const counts = await search(home);
  let searches = 1;
  for (const facet of FACET_NAMES) {
    const top = facetCounts(home, counts, facet).slice(0, WARM_VALUES_PER_FACET);
    for (const { value } of top) {
      if (stopped()) return searches;
      await search(browse(facet, value));
      searches++;
    }
  }
  return searches;
}

/** The warm-ups of one backend: started after each commit, finished (or cut short) before the backend closes. */
export class GenerationWarmer {
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  /** What the last warm-up did, for benchmarks and logs. */
  last: { generation: string; searches: number; ms: number } | undefined;

  constructor(private readonly client: Client) {}

  /** Starts warming `generation` after any warm-up still running; returns at once. */
  start(generation: string): void {
    this.running = this.running.then(async () => {
      const started = performance.now();
      try {
        const searches = await warmUp(this.client, generation, () => this.stopped);
        this.last = { generation, searches, ms: performance.now() - started };
      } catch {
        // Only an optimisation: the generation is live and answers either way.
      }
    });
  }

  /** Resolves when no warm-up is running. */
  idle(): Promise<void> {
    return this.running;
  }

  /**
   * Lets a warm-up in progress finish within `ms` (a process that committed a generation and
   * exits still warms it), then stops it after its current search.
   */
  async stop(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
    this.stopped = true;
    await this.running;
  }
}
