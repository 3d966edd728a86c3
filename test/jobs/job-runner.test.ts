/**
 * JobRunner: one run at a time under the shared lease (also across "processes": separate
 * connections to one operations file), progress, history, cancellation and shutdown.
 */
import fs from 'node:fs';
import { AlreadyRunningError, JobRunner, RunnerClosedError, type JobFunction } from '../../src/jobs/job-runner';
import type { LeaseStore } from '../../src/jobs/lease';
import { openOperationsStore, type OperationsStore } from '../../src/backends/sqlite/operations-store';
import { gate, gatedJob, okResult, sleep, tempDir, waitFor } from './helpers';

let dir: string;
let stores: OperationsStore[];
let runners: JobRunner[];

function runner(job: JobFunction, options: { ttlMs?: number; store?: OperationsStore; leases?: LeaseStore } = {}): JobRunner {
  const store = options.store ?? open();
  const r = new JobRunner({ leases: options.leases ?? store.leases, history: store.history, job, ttlMs: options.ttlMs ?? 5000, progressWriteMs: 0 });
  runners.push(r);
  return r;
}

function open(): OperationsStore {
  const store = openOperationsStore(dir);
  stores.push(store);
  return store;
}

beforeEach(() => {
  dir = tempDir();
  stores = [];
  runners = [];
});
afterEach(async () => {
  for (const r of runners) await r.shutdown();
  for (const s of stores) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a run is recorded from start to finish and lets go of the lock', async () => {
  const store = open();
  const seen: string[] = [];
  const r = runner(async (ctx) => {
    seen.push(`${ctx.runId} ${ctx.mode} ${ctx.trigger}`);
    expect((await store.history.get(ctx.runId))?.outcome).toBe('running');
    return okResult(10);
  }, { store });
  const { runId, finished } = await r.start('staff:amina', 'incremental');
  const record = await finished;
  expect(seen).toEqual([`${runId} incremental staff:amina`]);
  expect(record).toMatchObject({
    id: runId,
    trigger: 'staff:amina',
    mode: 'incremental',
    outcome: 'succeeded',
    counts: { read: 10, indexed: 9, rejected: 1 },
    rejectionsTotal: 1,
  });
  expect(record.sources).toEqual([expect.objectContaining({ source: 'src-a', read: 10, state: 'done' })]);
  expect(await store.history.rejections(runId)).toEqual([{ source: 'src-a', position: 2, recordId: 'bad-1', reason: 'title is missing' }]);
  expect(await store.leases.current(r.lockName)).toBeNull();
  expect(r.current()).toBeNull();
});

test('a second trigger while a run is in progress is refused, naming who holds the lock and since when', async () => {
  const g = gate();
  const r = runner(gatedJob(g));
  const { finished } = await r.start('nightly', 'full');
  await expect(r.start('staff:amina', 'full')).rejects.toThrow(AlreadyRunningError);
  await expect(r.start('staff:amina', 'full')).rejects.toThrow(/already in progress \(nightly, run run-.*since \d{4}-\d\d-\d\dT/);
  g.open();
  expect((await finished).outcome).toBe('succeeded');
  // Free again.
  const next = await r.start('staff:amina', 'full');
  await next.finished;
});

test('two runners on one operations file (two processes) never run at the same time', async () => {
  let active = 0;
  let maxActive = 0;
  let runs = 0;
  const job: JobFunction = async () => {
    active++;
    runs++;
    maxActive = Math.max(maxActive, active);
    await sleep(15);
    active--;
    return okResult();
  };
  // Separate connections, as two processes would have.
  const a = runner(job, { store: open() });
  const b = runner(job, { store: open() });
  const refusals: string[] = [];
  const deadline = Date.now() + 1500;
  const hammer = async (r: JobRunner, trigger: string) => {
    while (Date.now() < deadline) {
      try {
        await (await r.start(trigger, 'full')).finished;
      } catch (err) {
        if (!(err instanceof AlreadyRunningError)) throw err;
        refusals.push(err.message);
        await sleep(Math.random() * 5);
      }
    }
  };
  await Promise.all([hammer(a, 'staff:amina'), hammer(b, 'cli'), hammer(a, 'nightly'), hammer(b, 'cli')]);
  expect(maxActive).toBe(1);
  expect(runs).toBeGreaterThan(5);
  expect(refusals.length).toBeGreaterThan(0);
  // Refusals from the other "process" name the holder from the shared store.
  expect(refusals.some((m) => /\((staff:amina|nightly|cli), run run-/.test(m))).toBe(true);
});

test('the run in another process is visible (with its live figures) through the shared store', async () => {
  const g = gate();
  const a = runner(gatedJob(g), { store: open() });
  const b = runner(async () => okResult(), { store: open() });
  const { runId, finished } = await a.start('cli', 'full');
  const remote = await waitFor(async () => {
    const live = await b.currentAnywhere();
    return live?.sources.length ? live : null;
  }, 5000, 'the remote run');
  expect(remote).toMatchObject({ runId, trigger: 'cli', local: false, counts: { read: 1 } });
  expect(b.current()).toBeNull();
  g.open();
  await finished;
  expect(await b.currentAnywhere()).toBeNull();
});

test('shutdown aborts the running job through its signal, waits for it, and refuses new runs', async () => {
  const store = open();
  let signal: AbortSignal | undefined;
  const r = runner(gatedJob(gate(), (ctx) => (signal = ctx.signal)), { store });
  const { runId, finished } = await r.start('staff:amina', 'full');
  await r.shutdown();
  expect(signal?.aborted).toBe(true);
  const record = await finished;
  expect(record.outcome).toBe('cancelled');
  expect(record.error).toMatch(/shutting down/);
  expect(record.sources[0]).toMatchObject({ source: 'src-a', state: 'cancelled' });
  expect((await store.history.get(runId))?.outcome).toBe('cancelled');
  expect(await store.leases.current(r.lockName)).toBeNull();
  await expect(r.start('nightly', 'full')).rejects.toThrow(RunnerClosedError);
});

test('cancel() stops the run; the next run starts and succeeds', async () => {
  const r = runner(gatedJob(gate()));
  const first = await r.start('staff:amina', 'full');
  expect(r.cancel('stopped by amina')).toBe(true);
  expect(await first.finished).toMatchObject({ outcome: 'cancelled', error: 'stopped by amina' });
  const ok = runner(async () => okResult());
  expect((await ok.run('staff:amina', 'full')).outcome).toBe('succeeded');
});

test('a job that throws, or reports failure, is recorded as failed with its reason', async () => {
  const thrower = runner(async () => {
    throw new Error('disk full');
  });
  expect(await thrower.run('cli', 'full')).toMatchObject({ outcome: 'failed', error: 'disk full' });
  const refuser = runner(async () => ({ outcome: 'failed', error: 'every source failed', rejections: [], rejectionsTotal: 0 }));
  expect(await refuser.run('cli', 'full')).toMatchObject({ outcome: 'failed', error: 'every source failed' });
});

test('the heartbeat keeps the lease alive through a run longer than its ttl', async () => {
  const g = gate();
  const store = open();
  const a = runner(gatedJob(g), { ttlMs: 300, store });
  const b = runner(async () => okResult(), { ttlMs: 300, store: open() });
  const { finished } = await a.start('cli', 'full');
  for (let i = 0; i < 8; i++) {
    await sleep(100);
    await expect(b.start('nightly', 'full')).rejects.toThrow(AlreadyRunningError);
  }
  g.open();
  expect((await finished).outcome).toBe('succeeded');
  expect((await b.run('nightly', 'full')).outcome).toBe('succeeded');
});

test('a run that loses its lease (taken over after a stall) is stopped and recorded as failed', async () => {
  const store = open();
  // A store whose renewals fail, as if another process had taken the lock over.
  const leases: LeaseStore = {
    acquire: (...args) => store.leases.acquire(...args),
    renew: async () => null,
    release: (...args) => store.leases.release(...args),
    current: (name) => store.leases.current(name),
    close: async () => undefined,
  };
  const r = runner(gatedJob(gate()), { ttlMs: 150, store, leases });
  const { finished } = await r.start('nightly', 'full');
  const record = await finished;
  expect(record.outcome).toBe('failed');
  expect(record.error).toMatch(/lost its lock/);
});

test('recover() marks runs of dead processes interrupted, and leaves a live one alone', async () => {
  const store = open();
  await store.history.begin({ id: 'run-dead', trigger: 'cli', mode: 'full', holder: 'gone:1/run-dead', startedAt: new Date(Date.now() - 60_000) });
  // A live run in another process: it holds the lease.
  await store.history.begin({ id: 'run-live', trigger: 'nightly', mode: 'full', holder: 'other:2/run-live', startedAt: new Date() });
  await store.leases.acquire('ingest', 'other:2/run-live', 60_000, 'nightly, run run-live');
  const r = runner(async () => okResult(), { store });
  expect(await r.recover()).toEqual(['run-dead']);
  expect(await store.history.get('run-dead')).toMatchObject({ outcome: 'interrupted', error: expect.stringMatching(/stopped before the run finished/) });
  expect((await store.history.get('run-live'))?.outcome).toBe('running');
  await expect(r.start('staff:amina', 'full')).rejects.toThrow(/nightly, run run-live/);
});
