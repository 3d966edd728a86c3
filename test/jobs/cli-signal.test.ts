/**
 * One SIGTERM (or Ctrl-C) stops a CLI run cleanly: the run is cancelled, nothing is committed,
 * the lock is released at once, the history says so, and the exit status is the one the usage
 * text states (128 + the signal: 143 for SIGTERM).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openSqliteBackend } from '../../src/backends/sqlite';
import { openOperationsStore } from '../../src/backends/sqlite/operations-store';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { PROJECT_ROOT, SAMPLE_DATA } from '../support/test-app';
import { tempDir, waitFor } from './helpers';

let dir: string;
beforeAll(() => {
  dir = tempDir('corridor-cli-signal-');
  const lines: string[] = [];
  for (let i = 0; i < 150_000; i++) {
    lines.push(JSON.stringify({ id: `sig-${i}`, title: `Recruitment fees paid by migrant workers, survey ${i}`, published: String(2000 + (i % 25)) }));
  }
  fs.writeFileSync(path.join(dir, 'big.ndjson'), `${lines.join('\n')}\n`);
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function ingest(files: string[], dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'indexer/cli.ts', 'ingest', ...files], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CORRIDOR_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

test('one SIGTERM cancels an ingest: exit 143, nothing committed, the lock released, the history says cancelled', async () => {
  const dataDir = path.join(dir, 'data');
  // A live index first, which the interrupted run must leave as it was.
  const seed = ingest([SAMPLE_DATA], dataDir);
  expect(await seed.exited).toBe(0);
  const vocab = loadVocabulary();
  const before = openSqliteBackend({ dataDir, labels: vocab });
  const documents = (await before.engine.status()).documents;
  await before.engine.close();

  const run = ingest([path.join(dir, 'big.ndjson')], dataDir);
  await waitFor(() => /progress: \d+ read/.test(run.stderr()), 60_000, 'the run to make progress');
  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(143);
  expect(run.stderr()).toMatch(/stopping: the run is being cancelled/);

  const store = openOperationsStore(dataDir);
  try {
    expect((await store.history.list({ limit: 1 })).runs[0]).toMatchObject({ outcome: 'cancelled' });
    expect(await store.leases.current('ingest')).toBeNull();
  } finally {
    store.close();
  }
  const after = openSqliteBackend({ dataDir, labels: vocab });
  expect((await after.engine.status()).documents).toBe(documents);
  await after.engine.close();
});
