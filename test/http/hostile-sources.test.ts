/**
 * A hostile harvest started from the staff console of a real, running web process
 * (`src/main.ts`): a folder full of symbolic-link loops, a named pipe posing as a record file, a
 * feed that redirects to an internal server (127.0.0.2 stands for one), an API that redirects to
 * the cloud metadata address. Public search keeps answering throughout, the process survives,
 * nothing internal is indexed, and the run history says what was refused and why.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { hashPassword } from '../../src/web/staff/passwords';
import { tempDir, waitFor } from '../jobs/helpers';
import { redirect, send, startFixtureServer, type FixtureServer } from '../sources/fixture-server';
import { PROJECT_ROOT, SAMPLE_DATA } from '../support/test-app';

const PASSWORD = 'correct horse battery staple';
const SECRET = 'hostile-test-secret-hostile-test-secret-0123';

const rss = (title: string, link: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>f</title><item><title>${title}</title><link>${link}</link><guid>${link}</guid></item></channel></rss>`;

let dir: string;
let source: FixtureServer;
let internal: FixtureServer;
let portal: ChildProcess;
let output = '';
let base = '';

beforeAll(async () => {
  dir = tempDir('corridor-hostile-');
  // A folder of loops: links back to itself and its parents, a cycle of two links, and many
  // links to the same directories. Each real directory holds records once.
  const hostile = path.join(dir, 'hostile');
  fs.mkdirSync(path.join(hostile, 'a', 'b', 'c'), { recursive: true });
  fs.writeFileSync(
    path.join(hostile, 'a', 'records.ndjson'),
    `${JSON.stringify({ id: 'hostile-1', title: 'Hostile folder record on migrant welfare funds' })}\n`,
  );
  fs.symlinkSync('.', path.join(hostile, 'self'));
  fs.symlinkSync(path.join(hostile, 'loop-2'), path.join(hostile, 'loop-1'));
  fs.symlinkSync(path.join(hostile, 'loop-1'), path.join(hostile, 'loop-2'));
  for (let i = 0; i < 12; i++) {
    fs.symlinkSync('../..', path.join(hostile, 'a', 'b', `up-${i}`));
    fs.symlinkSync('../../..', path.join(hostile, 'a', 'b', 'c', `top-${i}`));
  }
  const piped = path.join(dir, 'piped');
  fs.mkdirSync(piped);
  execFileSync('mkfifo', [path.join(piped, 'records.ndjson')]);

  internal = await startFixtureServer({ '/feed.xml': send(rss('Secret internal payroll ledger', 'http://intranet/x'), 'application/rss+xml') }, '127.0.0.2');
  source = await startFixtureServer({
    '/feed': redirect(`${internal.origin}/feed.xml`),
    '/api': redirect('http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
    '/good-feed': send(rss('Harvested feed item on seasonal farm workers', 'https://example.org/seasonal'), 'application/rss+xml'),
  });
  const http = { retries: 0, timeoutMs: 5000 };
  fs.writeFileSync(
    path.join(dir, 'sources.json'),
    JSON.stringify({
      sources: [
        { id: 'sample', kind: 'file', location: SAMPLE_DATA },
        { id: 'hostile-folder', kind: 'file', location: hostile },
        { id: 'piped', kind: 'file', location: piped },
        { id: 'redirected-feed', kind: 'rss', location: `${source.origin}/feed`, http },
        { id: 'metadata', kind: 'http-json', location: `${source.origin}/api`, http },
        { id: 'good-feed', kind: 'rss', location: `${source.origin}/good-feed`, http },
      ],
    }),
  );

  const hash = await hashPassword(PASSWORD, { N: 2 ** 14, r: 8, p: 1 });
  portal = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      CORRIDOR_ENGINE: 'sqlite',
      PORT: '0',
      HOST: '127.0.0.1',
      CORRIDOR_DATA_DIR: path.join(dir, 'data'),
      CORRIDOR_SAMPLE_DATA: SAMPLE_DATA,
      CORRIDOR_SOURCES_FILE: path.join(dir, 'sources.json'),
      CORRIDOR_STAFF_ACCOUNTS: `amina:${hash}`,
      CORRIDOR_SESSION_SECRET: SECRET,
      CORRIDOR_NIGHTLY: 'false',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  portal.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  portal.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const port = await waitFor(() => /Corridor is serving http:\/\/localhost:(\d+)/.exec(output)?.[1], 60_000, 'the portal to start');
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (portal && portal.exitCode === null) {
    const exited = new Promise((resolve) => portal.once('exit', resolve));
    portal.kill('SIGTERM');
    await exited;
  }
  await Promise.all([source?.close(), internal?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Signs in over HTTP as a browser would; returns the session cookie and the CSRF token. */
async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('corridor_staff='))!;
  const form = await fetch(`${base}/staff/sign-in`);
  const formHtml = await form.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(formHtml)![1]!;
  const signedIn = await fetch(`${base}/staff/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookieOf(form), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, username: 'amina', password: PASSWORD }).toString(),
  });
  expect(signedIn.status).toBe(303);
  const cookie = cookieOf(signedIn);
  const session = (await (await fetch(`${base}/staff/api/session`, { headers: { cookie } })).json()) as { csrfToken: string };
  return { cookie, csrf: session.csrfToken };
}

interface RunJson {
  run: { outcome: string; sources: { source: string; state: string; indexed: number; error?: string }[] };
}

test('public search keeps answering during a hostile harvest, and nothing internal is reached or indexed', async () => {
  const { cookie, csrf } = await signIn();
  const started = await fetch(`${base}/staff/api/jobs`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    body: JSON.stringify({ mode: 'full' }),
  });
  expect(started.status).toBe(202);
  const { runId } = (await started.json()) as { runId: string };

  // Visitors search while the run goes on; each search must be answered, and soon (a frozen
  // event loop answers none within the bound).
  const statuses: number[] = [];
  let run: RunJson | undefined;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/api/search?q=migration`, { signal: AbortSignal.timeout(5000) });
    statuses.push(res.status);
    await res.arrayBuffer();
    run = (await (await fetch(`${base}/staff/api/runs/${runId}`, { headers: { cookie }, signal: AbortSignal.timeout(5000) })).json()) as RunJson;
    if (run.run.outcome !== 'running') break;
  }
  expect(statuses.length).toBeGreaterThan(0);
  expect(statuses.every((s) => s === 200)).toBe(true);
  expect(portal.exitCode).toBeNull();

  expect(run!.run.outcome).toBe('partial');
  const bySource = Object.fromEntries(run!.run.sources.map((s) => [s.source, s]));
  expect(bySource['hostile-folder']).toMatchObject({ state: 'done', indexed: 1 });
  expect(bySource.piped).toMatchObject({ state: 'failed', error: expect.stringMatching(/records\.ndjson is a named pipe \(FIFO\), not a regular file/) });
  expect(bySource['redirected-feed']).toMatchObject({ state: 'failed', error: expect.stringMatching(/refused to connect to 127\.0\.0\.2/) });
  expect(bySource.metadata).toMatchObject({ state: 'failed', error: expect.stringMatching(/refused to connect to 169\.254\.169\.254/) });
  expect(bySource['good-feed']).toMatchObject({ state: 'done', indexed: 1 });
  expect(internal.requests).toEqual([]);

  const search = async (q: string) => ((await (await fetch(`${base}/api/search?q=${encodeURIComponent(q)}`)).json()) as { total: number }).total;
  expect(await search('"Secret internal payroll ledger"')).toBe(0);
  expect(await search('"Hostile folder record"')).toBe(1);
  expect(await search('"seasonal farm workers"')).toBe(1);
});
