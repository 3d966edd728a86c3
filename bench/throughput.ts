/**
 * `npm run bench:throughput [-- --records 100000 --duration 20]`: requests per second that one
 * Corridor web process serves from `/api/search` with 1 and with 50 connections (autocannon,
 * random queries of the bench mix), on the embedded engine, the server started as `npm start`
 * starts it (`node dist/src/main.js`, built if stale, a process of its own). With two cores, 50
 * connections should get well over one connection's throughput (the search workers use both
 * cores); errors and non-2xx answers are counted. Memory: the web process's RSS (search workers
 * included) once healthy and after each run, now and at its peak.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { ensureCorpus } from './corpus';
import { QUERY_MIX } from './measure';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForHealth(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not become healthy within 120 s');
}

/** The pids below `root` (Linux: read from /proc; empty elsewhere). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const name of entries) {
    try {
      // Field 4 of /proc/<pid>/stat is the parent; the command name (field 2) may contain spaces.
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone since the listing
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The largest resident set of `root` and its descendants: now, and its peak (VmHWM), in bytes. */
function webProcessMemory(root: number): { rss: number; peak: number } | undefined {
  let best: { rss: number; peak: number } | undefined;
  for (const pid of [root, ...descendants(root)]) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
      const memory = { rss: kb('VmRSS'), peak: kb('VmHWM') };
      if (!best || memory.peak > best.peak) best = memory;
    } catch {
      // not readable here (not Linux, or gone)
    }
  }
  return best;
}

function memoryLine(server: ChildProcess): string {
  const memory = server.pid === undefined ? undefined : webProcessMemory(server.pid);
  const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
  return memory ? `${mb(memory.rss)} now, ${mb(memory.peak)} at its peak so far` : 'not readable on this system';
}

async function load(port: number, connections: number, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    requests: [
      {
        setupRequest: (req) => ({ ...req, path: `/api/search?${QUERY_MIX[Math.floor(Math.random() * QUERY_MIX.length)].params}` }),
      },
    ],
  });
}

async function main(): Promise<void> {
  const records = arg('records', 100_000);
  const duration = arg('duration', 20);
  const { file } = await ensureCorpus(records);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-throughput-'));
  const env = { ...process.env, CORRIDOR_DATA_DIR: dataDir, CORRIDOR_ENGINE: 'sqlite', CORRIDOR_NIGHTLY: 'false', LOG_LEVEL: 'warn' };
  console.log(`Corridor throughput: ${records.toLocaleString('en')} records, ${os.cpus().length} cores, ${duration} s per run`);
  const ingest = spawnSync(TSX, ['indexer/cli.ts', 'ingest', file], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (ingest.status !== 0) throw new Error(`ingest failed with status ${ingest.status}`);
  // As `npm start` runs it: compiled (the search workers then load plain JavaScript, not tsx).
  const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error(`the build failed with status ${build.status}`);
  const port = await freePort();
  const server = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitForHealth(port, server);
    console.log(`web process memory once healthy: ${memoryLine(server)}`);
    await load(port, 4, 3); // warm-up
    const results: { connections: number; result: autocannon.Result }[] = [];
    for (const connections of [1, 50]) {
      const result = await load(port, connections, duration);
      results.push({ connections, result });
      const l = result.latency;
      console.log(
        `${String(connections).padStart(2)} connection(s): ${result.requests.average.toFixed(0)} req/s, latency p50 ${l.p50} ms, p97.5 ${l.p97_5} ms, p99 ${l.p99} ms; errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}; memory ${memoryLine(server)}`,
      );
    }
    const [one, fifty] = results;
    console.log(`throughput at 50 connections / at 1 connection: ${(fifty.result.requests.average / Math.max(one.result.requests.average, 1)).toFixed(2)}x`);
    console.log(`web process memory (RSS, search workers included): ${memoryLine(server)}`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
