/**
 * The embedded engine on several cores. better-sqlite3 is synchronous, so one thread answers one
 * search at a time; this engine hands searches to a few worker threads (search-worker.ts), each
 * with its own connection to the live generation and the same in-memory arrays — loaded once,
 * here, into shared memory — while this thread keeps serving pages, health checks and the staff
 * console. Light operations (a record, the change list, status) are answered here directly.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  ChangeListPage,
  ChangeListRequest,
  CompletionRequest,
  Completions,
  EngineHealth,
  EngineSearchRequest,
  FacetValuesRequest,
  RelatedRequest,
  SearchEngine,
} from '../../search/ports';
import type { TagLabels } from '../../search/fields';
import type { FacetValuesPage, IndexStatus, ResourceDocument, SearchResultPage } from '../../search/types';
import type { GenerationArrays } from './facet-arrays';
import type { GenerationInfo } from './generations';
import type { FromWorker, PooledMethod, ToWorker, WorkerSetup } from './search-worker';
import { SqliteSearchEngine } from './sqlite-engine';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (reason: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * A search worker's short-lived objects: a search's large arrays live outside the JavaScript heap,
 * so a small young generation costs no throughput, and under load it keeps each worker from
 * growing one of V8's default size (at 1M records and 50 connections, the web process peaked at
 * 491 MB instead of 535, at the same requests/s; `npm run bench:throughput -- --records 1000000`).
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/**
 * The worker as this code runs: the built JavaScript module, or — under tsx or ts-jest, where
 * the sources are TypeScript — a small script that registers tsx in the worker and loads it.
 */
function startWorkerThread(workerData: WorkerSetup): Worker {
  const typescript = path.extname(__filename) === '.ts';
  const options = { workerData, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
  if (!typescript) return new Worker(path.join(__dirname, 'search-worker.js'), options);
  const file = path.join(__dirname, 'search-worker.ts');
  const source = `require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`;
  return new Worker(source, { ...options, eval: true });
}

export class SqliteSearchPool implements SearchEngine {
  readonly name = 'sqlite';
  private readonly local: SqliteSearchEngine;
  private readonly workers: PoolWorker[] = [];
  private generation?: { info: GenerationInfo; arrays: GenerationArrays };
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly dataDir: string,
    labels: TagLabels,
    size: number,
    private readonly vocabDir?: string,
  ) {
    this.local = new SqliteSearchEngine(dataDir, labels, {
      shared: true,
      onGeneration: (info, arrays) => {
        this.generation = { info, arrays };
        for (const w of this.workers) w.worker.postMessage({ type: 'generation', info, arrays } satisfies ToWorker);
      },
    });
    for (let i = 0; i < size; i++) this.workers.push(this.startWorker());
  }

  private startWorker(): PoolWorker {
    const worker = startWorkerThread({ dataDir: this.dataDir, vocabDir: this.vocabDir });
    const entry: PoolWorker = { worker, pending: new Map() };
    worker.on('message', (message: FromWorker) => {
      const p = entry.pending.get(message.id);
      if (!p) return;
      entry.pending.delete(message.id);
      if ('error' in message) {
        const err = new Error(message.error.message);
        err.name = message.error.name;
        p.reject(err);
      } else {
        p.resolve(message.result);
      }
    });
    worker.on('error', (err) => this.failed(entry, err));
    worker.on('exit', (code) => {
      if (!this.closed) this.failed(entry, new Error(`a search worker stopped (exit code ${code})`));
    });
    // unref: the workers never keep a process alive by themselves.
    worker.unref();
    if (this.generation) worker.postMessage({ type: 'generation', ...this.generation } satisfies ToWorker);
    return entry;
  }

  /** A worker that died: its calls fail, and a new one takes its place. */
  private failed(entry: PoolWorker, err: Error): void {
    for (const p of entry.pending.values()) p.reject(err);
    entry.pending.clear();
    const i = this.workers.indexOf(entry);
    if (i >= 0 && !this.closed) {
      void entry.worker.terminate();
      this.workers[i] = this.startWorker();
    }
  }

  /** The least busy worker answers; the live generation is checked first, here. */
  private call<T>(method: PooledMethod, args: unknown[]): Promise<T> {
    this.local.refresh();
    const entry = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      entry.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      entry.worker.postMessage({ type: 'call', id, method, args } satisfies ToWorker);
    });
  }

  search(request: EngineSearchRequest): Promise<SearchResultPage> {
    if (!this.local.refresh()) return this.local.search(request);
    return this.call('search', [request]);
  }

  count(request: EngineSearchRequest): Promise<number> {
    if (!this.local.refresh()) return this.local.count(request);
    return this.call('count', [request]);
  }

  facetValues(request: FacetValuesRequest): Promise<FacetValuesPage> {
    if (!this.local.refresh()) return this.local.facetValues(request);
    return this.call('facetValues', [request]);
  }

  complete(request: CompletionRequest): Promise<Completions> {
    if (!this.local.refresh()) return this.local.complete(request);
    return this.call('complete', [request]);
  }

  related(request: RelatedRequest): Promise<ResourceDocument[]> {
    if (!this.local.refresh()) return this.local.related(request);
    return this.call('related', [request]);
  }

  get(id: string): Promise<ResourceDocument | null> {
    return this.local.get(id);
  }

  listChanges(request: ChangeListRequest): Promise<ChangeListPage> {
    return this.local.listChanges(request);
  }

  suggestWords(word: string, limit: number): Promise<string[]> {
    return this.local.suggestWords(word, limit);
  }

  wordFrequency(word: string): Promise<number> {
    return this.local.wordFrequency(word);
  }

  status(): Promise<IndexStatus> {
    return this.local.status();
  }

  health(): Promise<EngineHealth> {
    return this.local.health();
  }

  /** The pool's engine in this thread, for what the backend refreshes after a commit. */
  refresh(force = false): void {
    this.local.refresh(force);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    await this.local.close();
  }
}
