/**
 * A run killed mid-way: once aborted through its signal (a clean stop), once as a real CLI
 * process killed with SIGKILL in the middle of a large ingest (a crash). Either way the live
 * index keeps every record it had, the lock is free again (at once, or after its ttl), the
 * history says what happened, and the next run succeeds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openSqliteBackend, type SqliteBackend } from '../../src/backends/sqlite';
import { AlreadyRunningError, JobRunner } from '../../src/jobs/job-runner';
import { openOperationsStore, type OperationsStore } from '../../src/backends/sqlite/operations-store';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { fileSources, listInputFiles } from '../../indexer/file-inputs';
import { recordPreparer } from '../../indexer/prepare';
import { ingestJob } from '../../indexer/run-jobs';
import { ingestFiles, PROJECT_ROOT, SAMPLE_DATA } from '../support/test-app';
import { tempDir, waitFor } from './helpers';

const vocab = loadVocabulary();
const LOCK_TTL_MS = 1500;

let dir: string;
let dataDir: string;
let backend: SqliteBackend;
let store: OperationsStore;
let before: number;
let sampleId: string;

/** Records enough for a run that lasts several seconds on this machine. */
function generate(file: string, count: number, prefix: string): void {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(
      JSON.stringify({
        id: `${prefix}-${i}`,
        title: `Recruitment fees paid by migrant workers, survey ${i}`,
        abstract: 'Wage arrears and debt bondage among construction workers from Nepal in Qatar.',
        published: String(2000 + (i % 25)),
      }),
    );
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

async function filesJob(paths: string[]) {
  return ingestJob(
    { sources: await fileSources(paths), scope: 'inputs' },
    { admin: backend.admin, prepare: recordPreparer(vocab), maxRejectRate: 0.2, maxDropShare: 0.5 },
  );
}
const sampleJob = (extra: string[] = []) => filesJob([SAMPLE_DATA, ...extra]);

async function liveDocuments(): Promise<number> {
  return (await backend.engine.status()).documents;
}

beforeAll(async () => {
  dir = tempDir('corridor-killed-');
  dataDir = path.join(dir, 'data');
  backend = openSqliteBackend({ dataDir, labels: vocab });
  const summary = await ingestFiles(backend.admin, [SAMPLE_DATA]);
  before = summary.counts.documents!;
  const firstLine = fs.readFileSync((await listInputFiles([SAMPLE_DATA])).find((f) => f.endsWith('.ndjson'))!, 'utf8').split('\n')[0]!;
  sampleId = (JSON.parse(firstLine) as { id: string }).id;
  generate(path.join(dir, 'big.ndjson'), 150_000, 'big');
  generate(path.join(dir, 'extra.ndjson'), 500, 'extra');
  store = openOperationsStore(dataDir);
});
afterAll(async () => {
  store.close();
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a run aborted through its signal changes nothing; the next run succeeds', async () => {
  const bigJob = await filesJob([path.join(dir, 'big.ndjson')]);
  const runner = new JobRunner({ leases: store.leases, history: store.history, job: bigJob, ttlMs: LOCK_TTL_MS });
  const { runId, finished } = await runner.start('staff:amina', 'full');
  await waitFor(() => (runner.current()?.counts.read ?? 0) >= 2000, 30_000, 'the run to read records');
  expect(await liveDocuments()).toBe(before);
  runner.cancel('stopped by the test');
  const record = await finished;
  expect(record).toMatchObject({ id: runId, outcome: 'cancelled', error: 'stopped by the test' });
  expect(record.counts.read).toBeGreaterThanOrEqual(2000);
  expect(record.counts.documents).toBeUndefined();
  expect(await liveDocuments()).toBe(before);
  expect(await backend.engine.get(sampleId)).not.toBeNull();
  // The lock was released at once.
  expect(await store.leases.current('ingest')).toBeNull();

  const next = new JobRunner({ leases: store.leases, history: store.history, job: await sampleJob(), ttlMs: LOCK_TTL_MS });
  expect(await next.run('staff:amina', 'full')).toMatchObject({ outcome: 'succeeded', counts: { documents: before } });
});

test('a CLI ingest killed with SIGKILL mid-run: the live index loses nothing, the stale lock expires, the next run succeeds', async () => {
  const child: ChildProcess = spawn(
    process.execPath,
    // node itself runs the CLI (tsx as a loader, not its wrapper process), so SIGKILL hits the ingest.
    ['--import', 'tsx', 'indexer/cli.ts', 'ingest', path.join(dir, 'big.ndjson')],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CORRIDOR_DATA_DIR: dataDir, CORRIDOR_LOCK_TTL_MS: String(LOCK_TTL_MS), LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  try {
    // The CLI's run shows up in the shared history, with live figures, while it works.
    const running = await waitFor(
      async () => {
        expect(await liveDocuments()).toBe(before); // never fewer, at any moment of the run
        return (await store.history.running()).find((r) => r.trigger === 'cli' && r.counts.read > 0);
      },
      60_000,
      'the CLI run to make progress',
    );

    // Meanwhile, the console's runner is refused, and told who holds the lock.
    const runner = new JobRunner({ leases: store.leases, history: store.history, job: await sampleJob(), ttlMs: LOCK_TTL_MS });
    await expect(runner.start('staff:amina', 'full')).rejects.toThrow(new RegExp(`already in progress \\(cli, run ${running.id}`));

    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(await liveDocuments()).toBe(before);
    expect(await backend.engine.get(sampleId)).not.toBeNull();
    expect(await backend.engine.get('big-0')).toBeNull();

    // The dead process's lease still stands until its ttl runs out; then it is taken over.
    await expect(runner.start('staff:amina', 'full')).rejects.toThrow(AlreadyRunningError);
    await waitFor(async () => (await store.leases.current('ingest')) === null, LOCK_TTL_MS + 2000, 'the stale lease to expire');
    const next = await runner.run('staff:amina', 'full');
    expect(next.outcome).toBe('succeeded');
    expect(await liveDocuments()).toBe(before);

    // The history says what became of the killed run.
    expect(await store.history.get(running.id)).toMatchObject({ trigger: 'cli', outcome: 'interrupted' });

    // And a later run that adds records commits them.
    const more = new JobRunner({ leases: store.leases, history: store.history, job: await sampleJob([path.join(dir, 'extra.ndjson')]), ttlMs: LOCK_TTL_MS });
    expect((await more.run('cli', 'full')).outcome).toBe('succeeded');
    expect(await liveDocuments()).toBe(before + 500);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
