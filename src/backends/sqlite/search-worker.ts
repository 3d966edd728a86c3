/**
 * A search worker thread (search-pool.ts): its own connection to the live generation and the
 * arrays the web process loaded into shared memory; it answers the engine calls posted to it,
 * one at a time, in the order they came.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadVocabulary } from '../../search/vocabulary/vocabulary';
import type { GenerationArrays } from './facet-arrays';
import type { GenerationInfo } from './generations';
import { SqliteSearchEngine } from './sqlite-engine';

export interface WorkerSetup {
  dataDir: string;
  /** The vocabulary directory the web process uses (its labels order equal facet counts); default: the project's. */
  vocabDir?: string;
}

export type ToWorker =
  | { type: 'generation'; info: GenerationInfo; arrays: GenerationArrays }
  | { type: 'call'; id: number; method: PooledMethod; args: unknown[] };

export type FromWorker = { id: number; result: unknown } | { id: number; error: { name: string; message: string } };

/** The engine operations that do the searching, and so run in the workers. */
export const POOLED_METHODS = ['search', 'count', 'facetValues', 'complete', 'related'] as const;
export type PooledMethod = (typeof POOLED_METHODS)[number];

if (parentPort) {
  const port = parentPort;
  const setup = workerData as WorkerSetup;
  const engine = new SqliteSearchEngine(setup.dataDir, loadVocabulary(setup.vocabDir));
  // Calls run one after another: a generation message takes effect between two calls, never during one.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (message: ToWorker) => {
    queue = queue.then(async () => {
      if (message.type === 'generation') {
        engine.useGeneration(message.info, message.arrays);
        return;
      }
      try {
        const method = engine[message.method] as (...args: unknown[]) => Promise<unknown>;
        const result = await method.apply(engine, message.args);
        port.postMessage({ id: message.id, result } satisfies FromWorker);
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        port.postMessage({ id: message.id, error: { name: e.name, message: e.message } } satisfies FromWorker);
      }
    });
  });
}
