/**
 * The CLI as external schedulers use it: `run-sources` and `ingest` take the shared lock, are
 * recorded in the history as "cli", and exit 0 (done), 1 (failed, index kept) or 3 (already
 * running). `hash-password` reads a piped password and prints a hash sign-in accepts.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { openOperationsStore } from '../../src/backends/sqlite/operations-store';
import { StaffAccounts } from '../../src/web/staff/accounts';
import { PROJECT_ROOT, SAMPLE_DATA } from '../support/test-app';
import { tempDir } from './helpers';

const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  const child = run(process.execPath, ['--import', 'tsx', 'indexer/cli.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return child.then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = tempDir('corridor-cli-runs-');
  fs.writeFileSync(
    path.join(dir, 'sources.json'),
    JSON.stringify({ sources: [{ id: 'sample', kind: 'file', location: SAMPLE_DATA }] }),
  );
  env = { CORRIDOR_DATA_DIR: path.join(dir, 'data'), CORRIDOR_SOURCES_FILE: path.join(dir, 'sources.json') };
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('run-sources harvests the sources file, exits 0 and is recorded as a CLI run', async () => {
  const result = await cli(['run-sources'], env);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/\(full, cli\): succeeded/);
  expect(result.stdout).toMatch(/sample \(file\): done, read \d+/);
  const store = openOperationsStore(env.CORRIDOR_DATA_DIR!);
  const [latest] = (await store.history.list({ limit: 1 })).runs;
  expect(latest).toMatchObject({ trigger: 'cli', mode: 'full', outcome: 'succeeded' });
  expect(latest?.sources).toEqual([expect.objectContaining({ source: 'sample', state: 'done' })]);
  store.close();
});

test('run-sources, ingest and rollback exit 3, naming the holder, while another run holds the lock', async () => {
  const store = openOperationsStore(env.CORRIDOR_DATA_DIR!);
  await store.leases.acquire('ingest', 'test/run-x', 60_000, 'staff:amina, run run-x');
  try {
    const harvest = await cli(['run-sources', '--incremental'], env);
    expect(harvest.code).toBe(3);
    expect(harvest.stderr).toContain('already in progress (staff:amina, run run-x');
    const ingest = await cli(['ingest', SAMPLE_DATA], env);
    expect(ingest.code).toBe(3);
    // A rollback right before a run commits would be undone silently: it waits its turn too.
    const rollback = await cli(['rollback'], env);
    expect(rollback.code).toBe(3);
  } finally {
    await store.leases.release('ingest', 'test/run-x');
    store.close();
  }
});

test('a run whose sources all fail exits 1 and leaves the index as it was', async () => {
  fs.writeFileSync(
    path.join(dir, 'broken.json'),
    JSON.stringify({ sources: [{ id: 'gone', kind: 'file', location: path.join(dir, 'no-such-folder') }] }),
  );
  const result = await cli(['run-sources'], { ...env, CORRIDOR_SOURCES_FILE: path.join(dir, 'broken.json') });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/FAILED: .*live index was kept/);
  const status = await cli(['status'], env);
  expect(JSON.parse(status.stdout).documents).toBeGreaterThanOrEqual(60);
});

test('unknown options are usage errors (exit 2)', async () => {
  const result = await cli(['run-sources', '--everything'], env);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--everything');
});

test('hash-password reads a piped password and prints a hash that signs in', async () => {
  const result = await cli(['hash-password', '--name', 'amina'], {}, 'a long enough password\n');
  expect(result.code).toBe(0);
  const entry = result.stdout.trim();
  expect(entry).toMatch(/^amina:scrypt\$32768\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
  const accounts = StaffAccounts.parse(entry);
  expect(await accounts.verify('amina', 'a long enough password')).not.toBeNull();
  expect(await accounts.verify('amina', 'a long enough password\n')).toBeNull();
  const short = await cli(['hash-password'], {}, 'short\n');
  expect(short.code).toBe(2);
  expect(short.stderr).toMatch(/at least 10 characters/);
});
