/**
 * The web process runs ingestion in a process of its own, so searches never wait for it: a run
 * started from the staff console happens in a child process, its progress still reaches the
 * console, and if that process dies (killed, out of memory) the web process goes on serving, and
 * the history says what became of the run. (How much a run slows searches down is measured by
 * `npm run bench:ingest-load`, not asserted here.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { hashPassword } from '../../src/web/staff/passwords';
import { tempDir, waitFor } from './helpers';
import { SAMPLE_DATA } from '../support/test-app';
import { childProcesses, signInStaff, startWebProcess, writeRecords, type StaffClient, type WebProcess } from '../support/processes';

jest.setTimeout(180_000);

interface CurrentJob {
  running: boolean;
  run: { id: string; counts: { read: number }; sources: { source: string; read: number }[] } | null;
  last: { id: string; outcome: string; error: string | null } | null;
}

let dir: string;
let web: WebProcess;
let staff: StaffClient;
const password = 'an ingest worker test password';

beforeAll(async () => {
  dir = tempDir('corridor-ingest-worker-');
  writeRecords(path.join(dir, 'bulk.ndjson'), 200_000, 'bulk');
  fs.writeFileSync(
    path.join(dir, 'sources.json'),
    JSON.stringify({ sources: [{ id: 'sample', kind: 'file', location: SAMPLE_DATA }, { id: 'bulk', kind: 'file', location: 'bulk.ndjson' }] }),
  );
  web = await startWebProcess({
    CORRIDOR_DATA_DIR: path.join(dir, 'data'),
    CORRIDOR_SOURCES_FILE: path.join(dir, 'sources.json'),
    CORRIDOR_STAFF_ACCOUNTS: `amina:${await hashPassword(password, { N: 2 ** 14, r: 8, p: 1 })}`,
    CORRIDOR_SESSION_SECRET: 'ingest-worker-secret-ingest-worker-secret',
  });
  staff = await signInStaff(web.url, 'amina', password);
});
afterAll(async () => {
  await web?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

const current = async (): Promise<CurrentJob> => (await (await staff.get('/staff/api/jobs/current')).json()) as CurrentJob;
const nodeChildren = () => childProcesses(web.child.pid!).filter((c) => c.command[0] === process.execPath);

test('a run started from the console reads its sources in a child process; the console shows its progress', async () => {
  const documentsBefore = ((await (await fetch(`${web.url}/health`)).json()) as { documents: number }).documents;
  const started = await staff.postJson('/staff/api/jobs', { mode: 'full' });
  expect(started.status).toBe(202);
  const { runId } = (await started.json()) as { runId: string };

  const live = await waitFor(async () => {
    const job = await current();
    return job.run && job.run.counts.read > 1000 ? job : null;
  }, 60_000, 'the run to read records');
  expect(live.run?.id).toBe(runId);
  expect(live.run?.sources.map((s) => s.source)).toEqual(['sample', 'bulk']);

  // The run is not in the web process: it has one node child, the ingest worker.
  const workers = nodeChildren();
  expect(workers).toHaveLength(1);

  // Killed (as the out-of-memory killer would): the web process is not, and says what happened.
  process.kill(workers[0]!.pid, 'SIGKILL');
  const ended = await waitFor(async () => {
    const job = await current();
    return job.running ? null : job;
  }, 30_000, 'the run to end');
  expect(ended.last).toMatchObject({ id: runId, outcome: 'failed', error: expect.stringMatching(/ingest process stopped unexpectedly/) });

  const search = await fetch(`${web.url}/api/search?q=migration`);
  expect(search.status).toBe(200);
  const health = (await (await fetch(`${web.url}/health`)).json()) as { documents: number };
  expect(health.documents).toBe(documentsBefore);
  expect(nodeChildren()).toHaveLength(0);
});
