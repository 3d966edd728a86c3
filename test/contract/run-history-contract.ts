/**
 * The behaviour every RunHistory store (src/jobs/run-history.ts) must have: what it keeps, for
 * every process sharing it, and what the console and incremental runs derive from it. Each
 * store's test file calls describeRunHistoryContract() with a factory of fresh, empty stores.
 */
import { JobRunner } from '../../src/jobs/job-runner';
import type { LeaseStore } from '../../src/jobs/lease';
import { MAX_STORED_REJECTIONS, type RunHistory, type RunResult, type SourceStats } from '../../src/jobs/run-history';
import { okResult } from '../jobs/helpers';

export interface RunHistoryUnderTest {
  /** A new connection to the same (initially empty) store, as another process would have. */
  open(): RunHistory;
  /** The lease store that lives with it. */
  leases: LeaseStore;
  cleanup(): Promise<void>;
}

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

async function finish(history: RunHistory, id: string, startedAt: Date, result: Partial<RunResult> & Pick<RunResult, 'outcome'>): Promise<void> {
  await history.begin({ id, trigger: 'nightly', mode: 'full', holder: `h/${id}`, startedAt });
  await history.finish(id, {
    finishedAt: new Date(startedAt.getTime() + 5000),
    counts: { read: 0, indexed: 0, rejected: 0, deleted: 0, duplicates: 0 },
    sources: [],
    rejections: [],
    rejectionsTotal: 0,
    ...result,
  });
}

export function describeRunHistoryContract(name: string, create: () => Promise<RunHistoryUnderTest>): void {
  describe(`${name}: run history contract`, () => {
    let under: RunHistoryUnderTest;
    let history: RunHistory;
    beforeEach(async () => {
      under = await create();
      history = under.open();
    });
    afterEach(async () => {
      await history.close();
      await under.cleanup();
    });

    it('keeps a run, its sources, counts and rejected records for every process that opens the store', async () => {
      const runner = new JobRunner({ leases: under.leases, history, job: async () => okResult(7), ttlMs: 5000 });
      const record = await runner.run('cli', 'full');
      const other = under.open();
      try {
        const again = await other.get(record.id);
        expect(again).toEqual(record);
        expect(again).toMatchObject({ trigger: 'cli', outcome: 'succeeded', counts: { read: 7, indexed: 6, rejected: 1 } });
        expect(again?.durationMs).toBeGreaterThanOrEqual(0);
        expect(await other.rejections(record.id)).toEqual([{ source: 'src-a', position: 2, recordId: 'bad-1', reason: 'title is missing' }]);
        expect(await other.list({ limit: 10 })).toEqual({ runs: [record], total: 1 });
        expect(await other.get('run-unknown')).toBeNull();
      } finally {
        await other.close();
      }
    });

    it('shows a running run with its live figures, and ends it as interrupted when its process died', async () => {
      await history.begin({ id: 'run-crashed', trigger: 'staff:amina', mode: 'full', holder: 'vm:123:abc/run-crashed', startedAt: new Date(Date.now() - 60_000) });
      await history.progress('run-crashed', [stats('feed', { state: 'running' }), stats('oai', { state: 'pending', read: 0 })]);
      expect((await history.running()).map((r) => [r.id, r.counts.read])).toEqual([['run-crashed', 10]]);

      const runner = new JobRunner({ leases: under.leases, history: under.open(), job: async () => okResult(), ttlMs: 5000 });
      expect(await runner.recover()).toEqual(['run-crashed']);
      const run = await history.get('run-crashed');
      expect(run).toMatchObject({ outcome: 'interrupted', counts: { read: 10 }, error: expect.stringMatching(/nothing from it was committed/) });
      expect(run?.finishedAt).toBeInstanceOf(Date);
      expect(run?.sources.map((s) => s.state)).toEqual(['cancelled', 'not-run']);
      expect(await history.running()).toEqual([]);
    });

    it('ends a dead run whose generation went live as committed, with the live size', async () => {
      await history.begin({ id: 'run-swapped', trigger: 'nightly', mode: 'full', holder: 'vm:9:abc/run-swapped', startedAt: new Date(Date.now() - 60_000) });
      await history.progress('run-swapped', [stats('feed'), stats('api', { state: 'failed', error: 'api: GET … timed out' })]);
      const runner = new JobRunner({
        leases: under.leases,
        history,
        job: async () => okResult(),
        ttlMs: 5000,
        liveGeneration: async () => ({ runId: 'run-swapped', documents: 1234 }),
      });
      expect(await runner.recover()).toEqual(['run-swapped']);
      const run = await history.get('run-swapped');
      expect(run).toMatchObject({ outcome: 'partial', counts: { read: 20, documents: 1234 } });
      expect(run?.error).toBeUndefined();
      expect(run?.notes[0]).toMatch(/stopped right after its new index went live/);
    });

    it('keeps rejected records with reasons up to the cap, and counts them all', async () => {
      const rejections = Array.from({ length: MAX_STORED_REJECTIONS + 250 }, (_, i) => ({ source: 'feed', position: i + 1, reason: `bad ${i}` }));
      await finish(history, 'run-big', new Date(), { outcome: 'failed', rejections, rejectionsTotal: 5000, error: 'too many rejected' });
      expect(await history.rejections('run-big')).toHaveLength(MAX_STORED_REJECTIONS);
      expect(await history.rejections('run-big', { limit: 2, offset: 10 })).toEqual([
        { source: 'feed', position: 11, reason: 'bad 10' },
        { source: 'feed', position: 12, reason: 'bad 11' },
      ]);
      expect(await history.get('run-big')).toMatchObject({ rejectionsTotal: 5000, error: 'too many rejected' });
    });

    it('lists runs newest first, a page at a time', async () => {
      const t = Date.UTC(2025, 0, 1);
      for (let i = 0; i < 5; i++) await finish(history, `run-${i}`, new Date(t + i * 60_000), { outcome: 'succeeded' });
      const page = await history.list({ limit: 2, offset: 1 });
      expect(page.total).toBe(5);
      expect(page.runs.map((r) => r.id)).toEqual(['run-3', 'run-2']);
    });

    it('knows each source\'s latest figures, and when each was last read to its end by a committed run', async () => {
      const t = Date.UTC(2025, 0, 1);
      await finish(history, 'run-1', new Date(t), { outcome: 'succeeded', sources: [stats('feed'), stats('oai')] });
      await finish(history, 'run-2', new Date(t + 60_000), {
        outcome: 'partial',
        sources: [stats('feed', { state: 'failed', read: 0, indexed: 0, rejected: 0, error: 'feed: GET … timed out' }), stats('oai', { read: 20 })],
      });
      await finish(history, 'run-3', new Date(t + 90_000), { outcome: 'failed', sources: [stats('oai', { state: 'done', read: 5 })] });
      await history.begin({ id: 'run-4', trigger: 'cli', mode: 'full', holder: 'h/run-4', startedAt: new Date(t + 120_000) });
      await history.progress('run-4', [stats('feed', { state: 'running', read: 99 })]);

      const last = await history.lastPerSource();
      expect(last.get('feed')).toMatchObject({ runId: 'run-2', state: 'failed', error: 'feed: GET … timed out' });
      expect(last.get('oai')).toMatchObject({ runId: 'run-3', read: 5, runOutcome: 'failed' });
      // Incremental runs ask each source for changes since it was last read by a committed run.
      expect(await history.lastHarvested()).toEqual({ feed: new Date(t).toISOString(), oai: new Date(t + 60_000).toISOString() });
    });
  });
}
