/** The run history in operations.sqlite: what it keeps, for how long, and what the console derives from it. */
import fs from 'node:fs';
import { JobRunner } from '../../src/jobs/job-runner';
import { openOperationsStore } from '../../src/jobs/operations-store';
import { MAX_STORED_REJECTIONS, SqliteRunHistory, type RunResult, type SourceStats } from '../../src/jobs/run-history';
import { okResult, tempDir } from './helpers';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const stats = (source: string, over: Partial<SourceStats> = {}): SourceStats => ({
  source,
  kind: 'rss',
  state: 'done',
  read: 10,
  indexed: 9,
  rejected: 1,
  deleted: 0,
  duplicates: 0,
  ...over,
});

function finish(history: SqliteRunHistory, id: string, startedAt: Date, result: Partial<RunResult> & Pick<RunResult, 'outcome'>): void {
  history.begin({ id, trigger: 'nightly', mode: 'full', holder: `h/${id}`, startedAt });
  history.finish(id, {
    finishedAt: new Date(startedAt.getTime() + 5000),
    counts: { read: 0, indexed: 0, rejected: 0, deleted: 0, duplicates: 0 },
    sources: [],
    rejections: [],
    rejectionsTotal: 0,
    ...result,
  });
}

test('runs, their sources and rejected records survive a restart (the file is reopened)', async () => {
  const first = openOperationsStore(dir);
  const runner = new JobRunner({ leases: first.leases, history: first.history, job: async () => okResult(7), ttlMs: 5000 });
  const record = await runner.run('cli', 'full');
  first.close();

  const reopened = SqliteRunHistory.open(dir);
  const again = reopened.get(record.id);
  expect(again).toEqual(record);
  expect(again).toMatchObject({ trigger: 'cli', outcome: 'succeeded', counts: { read: 7, indexed: 6, rejected: 1 } });
  expect(again?.durationMs).toBeGreaterThanOrEqual(0);
  expect(reopened.rejections(record.id)).toEqual([{ source: 'src-a', position: 2, recordId: 'bad-1', reason: 'title is missing' }]);
  expect(reopened.list({ limit: 10 })).toEqual({ runs: [record], total: 1 });
  reopened.close();
});

test('a run that was running when its process died is marked interrupted on the next start', async () => {
  const crashed = openOperationsStore(dir);
  crashed.history.begin({ id: 'run-crashed', trigger: 'staff:amina', mode: 'full', holder: 'vm:123:abc/run-crashed', startedAt: new Date() });
  crashed.history.progress('run-crashed', [stats('feed', { state: 'running' }), stats('oai', { state: 'pending', read: 0 })]);
  crashed.close(); // the process is gone; its lease was never released but has expired

  const next = openOperationsStore(dir);
  const runner = new JobRunner({ leases: next.leases, history: next.history, job: async () => okResult(), ttlMs: 5000 });
  expect(await runner.recover()).toEqual(['run-crashed']);
  const run = next.history.get('run-crashed');
  expect(run).toMatchObject({ outcome: 'interrupted', counts: { read: 10 } });
  expect(run?.finishedAt).toBeInstanceOf(Date);
  expect(run?.sources.map((s) => s.state)).toEqual(['cancelled', 'not-run']);
  next.close();
});

test('rejected records are kept with reasons up to the cap; the total counts them all', () => {
  const history = SqliteRunHistory.open(dir);
  const rejections = Array.from({ length: MAX_STORED_REJECTIONS + 250 }, (_, i) => ({ source: 'feed', position: i + 1, reason: `bad ${i}` }));
  finish(history, 'run-big', new Date(), { outcome: 'failed', rejections, rejectionsTotal: 5000, error: 'too many rejected' });
  expect(history.rejections('run-big')).toHaveLength(MAX_STORED_REJECTIONS);
  expect(history.rejections('run-big', { limit: 2, offset: 10 })).toEqual([
    { source: 'feed', position: 11, reason: 'bad 10' },
    { source: 'feed', position: 12, reason: 'bad 11' },
  ]);
  expect(history.get('run-big')?.rejectionsTotal).toBe(5000);
  history.close();
});

test('per-source "last run" is the newest finished run that read the source', () => {
  const history = SqliteRunHistory.open(dir);
  const t = Date.UTC(2025, 0, 1);
  finish(history, 'run-1', new Date(t), { outcome: 'succeeded', sources: [stats('feed'), stats('oai')] });
  finish(history, 'run-2', new Date(t + 60_000), {
    outcome: 'partial',
    sources: [stats('feed', { state: 'failed', read: 0, indexed: 0, rejected: 0, error: 'feed: GET … timed out' }), stats('oai', { read: 20 })],
  });
  history.begin({ id: 'run-3', trigger: 'cli', mode: 'full', holder: 'h/run-3', startedAt: new Date(t + 120_000) });
  history.progress('run-3', [stats('feed', { state: 'running', read: 99 })]);

  const last = history.lastPerSource();
  expect(last.get('feed')).toMatchObject({ runId: 'run-2', state: 'failed', error: 'feed: GET … timed out' });
  expect(last.get('oai')).toMatchObject({ runId: 'run-2', read: 20, runOutcome: 'partial' });
  // Incremental runs ask each source for changes since it was last read by a committed run.
  expect(history.lastHarvested()).toEqual({ feed: new Date(t).toISOString(), oai: new Date(t + 60_000).toISOString() });
  history.close();
});
