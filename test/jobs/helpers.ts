/** Small pieces for the job tests: temporary data directories, gates, controllable jobs. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobContext, JobFunction, JobResult } from '../../src/jobs/job-runner';

export function tempDir(prefix = 'corridor-jobs-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Gate {
  promise: Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns something truthy, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export function okResult(read = 3, source = 'src-a'): JobResult {
  return {
    outcome: 'succeeded',
    sources: [{ source, kind: 'file', state: 'done', read, indexed: read - 1, rejected: 1, deleted: 0, duplicates: 0 }],
    rejections: [{ source, position: 2, recordId: 'bad-1', reason: 'title is missing' }],
    rejectionsTotal: 1,
  };
}

/**
 * A job that reports progress, then waits until the gate opens or its signal aborts (then it
 * throws, as a real job does when cancelled).
 */
export function gatedJob(g: Gate, onStart?: (ctx: JobContext) => void): JobFunction {
  return async (ctx) => {
    onStart?.(ctx);
    ctx.onProgress({ source: 'src-a', kind: 'file', state: 'running', read: 1, indexed: 1, rejected: 0 });
    await new Promise<void>((resolve, reject) => {
      if (ctx.signal.aborted) reject(new Error('aborted'));
      ctx.signal.addEventListener('abort', () => reject(new Error('the run was cancelled')), { once: true });
      void g.promise.then(resolve);
    });
    return okResult();
  };
}
