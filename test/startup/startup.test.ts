/**
 * Starting the real web process (`src/main.ts`) against an Elasticsearch it cannot use: a wrong
 * password, a closed port, a CA file that is not there. Each ends in a few lines saying what is
 * wrong and how to fix it, exit status 2, no stack trace; a cluster that is still starting is
 * waited for, with retries that are logged.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/test-app';
import { deletePrefix, describeWithElasticsearch, elasticsearchFromEnv, testClient, uniquePrefix } from '../support/elasticsearch';
import { startTcpProxy } from '../support/tcp-proxy';
import { tempDir, waitFor } from '../jobs/helpers';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Started {
  output: () => string;
  exited: Promise<Run>;
  kill: () => void;
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', CORRIDOR_NIGHTLY: 'false', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Run>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { output: () => stdout + stderr, exited, kill: () => child.kill('SIGTERM') };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let dir: string;
beforeAll(() => {
  dir = tempDir('corridor-startup-');
});
const INDEX_PREFIX = uniquePrefix('startup');
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  // The process that served made its operations indices on the cluster: leave nothing behind.
  const settings = elasticsearchFromEnv();
  if (settings) {
    const client = testClient(settings);
    await deletePrefix(client, INDEX_PREFIX);
    await client.close();
  }
});

const esEnv = (extra: Record<string, string>) => ({
  CORRIDOR_ENGINE: 'elasticsearch',
  CORRIDOR_DATA_DIR: path.join(dir, 'data'),
  CORRIDOR_ES_INDEX_PREFIX: INDEX_PREFIX,
  CORRIDOR_ES_STARTUP_RETRIES: '2',
  CORRIDOR_ES_STARTUP_DELAY_MS: '100',
  ...extra,
});

function expectShortError(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(2);
  const text = run.stdout + run.stderr;
  expect(text).toMatch(pattern);
  expect(text).not.toMatch(/^\s+at /m); // no stack trace
  expect(run.stderr.trim().split('\n').length).toBeLessThanOrEqual(6);
}

it('a cluster nobody listens on: retries, logged, then a short message and exit status 2', async () => {
  const port = await freePort();
  const run = await start(esEnv({ CORRIDOR_ES_URL: `http://127.0.0.1:${port}` })).exited;
  expectShortError(run, /Elasticsearch at http:\/\/127\.0\.0\.1:\d+ cannot be reached/);
  expect(run.stderr).toMatch(/CORRIDOR_ES_URL/);
  // Each wait is in the log, with the attempt and the delay.
  expect(run.stdout).toMatch(/Elasticsearch is not available yet.*attempt 1 of 3/);
  expect(run.stdout).toMatch(/attempt 2 of 3/);
});

it('a CA file that is not there: named, exit status 2', async () => {
  const run = await start(esEnv({ CORRIDOR_ES_URL: 'https://127.0.0.1:9', CORRIDOR_ES_CA_CERT: path.join(dir, 'missing-ca.pem') })).exited;
  expectShortError(run, /CORRIDOR_ES_CA_CERT: .*missing-ca\.pem.* (does not exist|cannot be read)/);
});

describeWithElasticsearch('against the running cluster', (settings) => {
  it('a wrong password: said at once (no retries: waiting will not fix it), exit status 2', async () => {
    const run = await start(
      esEnv({ CORRIDOR_ES_URL: settings.url!, CORRIDOR_ES_USERNAME: settings.username ?? 'elastic', CORRIDOR_ES_PASSWORD: 'certainly-wrong' }),
    ).exited;
    expectShortError(run, /refused the credentials \(401\)/);
    expect(run.stdout).not.toMatch(/attempt 1 of/);
  });

  it('a cluster still starting: waited for, then the portal serves', async () => {
    const target = new URL(settings.url!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 9200) });
    await proxy.setMode('down');
    const process = start(
      esEnv({
        CORRIDOR_ES_URL: proxy.url,
        CORRIDOR_ES_USERNAME: settings.username ?? '',
        CORRIDOR_ES_PASSWORD: settings.password ?? '',
        CORRIDOR_ES_STARTUP_RETRIES: '20',
        CORRIDOR_ES_STARTUP_DELAY_MS: '200',
        CORRIDOR_SAMPLE_DATA: path.join(dir, 'no-sample'),
      }),
    );
    try {
      await waitFor(() => /Elasticsearch is not available yet/.test(process.output()), 30_000, 'a logged retry');
      await proxy.setMode('forward');
      await waitFor(() => /Corridor is serving/.test(process.output()), 30_000, 'the portal to serve');
    } finally {
      process.kill();
      await process.exited;
      await proxy.close();
    }
  });
});
