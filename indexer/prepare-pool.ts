/**
 * Worker threads that prepare records (validation, normalisation, analysis and the index
 * writer's encoding: prepare.ts) while the pipeline's own thread reads sources and writes the
 * index. Chunks of records go to the least busy thread; each chunk's promise resolves with its
 * results in the order of its records, and the pipeline applies the chunks in the order it sent
 * them, so a run reports, replaces and counts records exactly as it does in one thread.
 *
 * A thread that fails (an exception while starting, running out of memory, exiting) fails every
 * chunk waiting for it and every later one: the run then fails and commits nothing. close()
 * stops the threads; the pipeline calls it however its run ends, so a cancelled or failed run
 * leaves no thread behind to keep the process alive.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { VocabularyFiles } from '../src/search/vocabulary/vocabulary';
import type { LineTransform, PreparedItem } from './prepare';

/** What a thread is started with (workerData). */
export interface WorkerSetup {
  vocabulary: VocabularyFiles;
  /** EncodedWrites.module of the run's index writer, if it has one. */
  encoder?: string;
}

/** Records of one source, in order; with `lines`, those marked 1 are NDJSON lines to parse with `transform`. */
export interface RecordChunk {
  source: string;
  records: unknown[];
  lines?: Uint8Array;
  transform?: LineTransform;
  keys: boolean;
}

export interface ChunkRequest extends RecordChunk {
  id: number;
}

export type ChunkReply = { id: number; items: PreparedItem[] } | { id: number; error: string } | { ready: true };

interface Waiting {
  resolve(items: PreparedItem[]): void;
  reject(err: Error): void;
}

interface Thread {
  worker: Worker;
  waiting: Map<number, Waiting>;
}

/** The worker's module beside this one: TypeScript sources (tsx, ts-jest) or the compiled build. */
function workerCommand(): { file: string; execArgv: string[] } {
  const extension = path.extname(__filename);
  const file = path.join(__dirname, `prepare-worker${extension}`);
  // Debugger flags are the parent's: a second inspector on the same port would fail.
  const inherited = process.execArgv.filter((a) => !a.startsWith('--inspect'));
  if (extension !== '.ts') return { file, execArgv: inherited };
  // From sources, a thread needs a TypeScript loader of its own; tsx's CommonJS hook works in
  // worker threads (its ESM loader, which `tsx` on the command line adds, does not on Node 20).
  return { file, execArgv: ['--require', require.resolve('tsx/cjs')] };
}

export class PreparePool {
  private readonly threads: Thread[] = [];
  private nextId = 0;
  private failure: Error | undefined;
  private closed = false;

  constructor(size: number, setup: WorkerSetup) {
    const { file, execArgv } = workerCommand();
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(file, { workerData: setup, execArgv, name: `corridor-prepare-${i + 1}` });
      const thread: Thread = { worker, waiting: new Map() };
      worker.on('message', (reply: ChunkReply) => this.receive(thread, reply));
      worker.on('error', (err) => this.fail(new Error(`a record preparation thread failed: ${err.message}`)));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`a record preparation thread stopped unexpectedly (exit code ${code})`));
      });
      this.threads.push(thread);
    }
  }

  /** Chunks sent and not answered yet. */
  get inFlight(): number {
    let n = 0;
    for (const t of this.threads) n += t.waiting.size;
    return n;
  }

  get size(): number {
    return this.threads.length;
  }

  prepare(chunk: RecordChunk): Promise<PreparedItem[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('the record preparation threads were stopped'));
    let thread = this.threads[0]!;
    for (const t of this.threads) if (t.waiting.size < thread.waiting.size) thread = t;
    const id = this.nextId++;
    return new Promise<PreparedItem[]>((resolve, reject) => {
      thread.waiting.set(id, { resolve, reject });
      thread.worker.postMessage({ ...chunk, id } satisfies ChunkRequest);
    });
  }

  private receive(thread: Thread, reply: ChunkReply): void {
    if ('ready' in reply) return;
    const waiting = thread.waiting.get(reply.id);
    if (waiting === undefined) return;
    thread.waiting.delete(reply.id);
    if ('error' in reply) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.items);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const thread of this.threads) {
      for (const waiting of thread.waiting.values()) waiting.reject(this.failure);
      thread.waiting.clear();
    }
  }

  /** Stops every thread; chunks still waiting are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stopped = new Error('the record preparation threads were stopped');
    for (const thread of this.threads) {
      for (const waiting of thread.waiting.values()) waiting.reject(stopped);
      thread.waiting.clear();
    }
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
