/**
 * npm run bench:ingest-load [-- --records 100000] [--engine sqlite|elasticsearch]
 *
 * How much a rebuild slows searches down. Starts the real web process (src/main.ts) on a
 * temporary data directory whose sources file lists one corpus file, builds the index once, then
 * sends the fixed query mix through the JSON API, one request at a time: first while nothing else
 * runs (idle), then while a full rebuild of the same corpus, started from the staff console's
 * "Reindex now" (POST /staff/api/jobs), is in progress. Prints p50/p95/p99 of both and the ratio
 * of the p95s (the target is at most 1.5×), the rebuild's duration, and how often the console's
 * progress answered.
 */
import http from 'node:http';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { hashPassword } from '../src/web/staff/passwords';
import { signInStaff, startWebProcess, type StaffClient, type WebProcess } from '../test/support/processes';
import { BENCH_DIR, ensureCorpus } from './corpus';
import { get, percentile, QUERY_MIX, stats } from './measure';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (process.argv[i + 1] ?? fallback);
}

interface CurrentJob {
  running: boolean;
  run: { id: string; counts: { read: number } } | null;
  last: { id: string; outcome: string; duration: string; durationMs: number | null; error: string | null } | null;
}

async function current(staff: StaffClient): Promise<CurrentJob> {
  return (await (await staff.get('/staff/api/jobs/current')).json()) as CurrentJob;
}

/** Starts a full run from the console and returns its id. */
async function reindex(staff: StaffClient): Promise<string> {
  const res = await staff.postJson('/staff/api/jobs', { mode: 'full' });
  if (res.status !== 202) throw new Error(`"Reindex now" answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { runId: string }).runId;
}

async function waitForEnd(staff: StaffClient, runId: string): Promise<NonNullable<CurrentJob['last']>> {
  for (;;) {
    const job = await current(staff);
    if (!job.running && job.last?.id === runId) return job.last;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The query mix, one request at a time, until `until` says stop (at least one full round). */
async function searchLoad(port: number, until: () => boolean): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  try {
    for (let i = 0; i < QUERY_MIX.length || !until(); i++) {
      const q = QUERY_MIX[i % QUERY_MIX.length]!;
      const t0 = performance.now();
      const res = await get(agent, port, `/api/search?${q.params}`);
      latencies.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`/api/search?${q.params} answered ${res.status}: ${res.body.slice(0, 200)}`);
    }
  } finally {
    agent.destroy();
  }
  return latencies;
}

async function main(): Promise<void> {
  const records = Number(arg('records', '100000'));
  const engine = arg('engine', 'sqlite');
  if (!(records > 0)) throw new Error('--records needs a positive number');
  if (engine !== 'sqlite' && engine !== 'elasticsearch') throw new Error('--engine takes sqlite or elasticsearch');
  if (engine === 'elasticsearch' && !process.env.CORRIDOR_ES_URL) throw new Error('--engine elasticsearch needs CORRIDOR_ES_URL (npm run es:start prints it)');
  console.log(`Corridor ingest-load benchmark: ${records.toLocaleString('en')} records, engine ${engine}, ${os.cpus().length} cores, Node ${process.version}`);

  const corpus = await ensureCorpus(records);
  console.log(`corpus: ${path.relative(process.cwd(), corpus.file)} (${corpus.real ? 'real records from ../shared/data, repeated with variations' : 'synthetic'})`);
  // Under .bench/ (beside the corpus), not the system's temporary directory: a run lasts minutes.
  const dir = fs.mkdtempSync(path.join(BENCH_DIR, 'ingest-load-'));
  fs.writeFileSync(path.join(dir, 'sources.json'), JSON.stringify({ sources: [{ id: 'corpus', kind: 'file', location: corpus.file }] }));
  const password = 'an ingest load benchmark password';
  let web: WebProcess | undefined;
  try {
    web = await startWebProcess({
      LOG_LEVEL: 'info',
      CORRIDOR_ENGINE: engine,
      // A benchmark never touches a real index: its own prefix, deleted with its data below.
      CORRIDOR_ES_INDEX_PREFIX: `corridor-bench-load-${process.pid}`,
      CORRIDOR_DATA_DIR: path.join(dir, 'data'),
      CORRIDOR_SOURCES_FILE: path.join(dir, 'sources.json'),
      CORRIDOR_STAFF_ACCOUNTS: `bench:${await hashPassword(password, { N: 2 ** 14, r: 8, p: 1 })}`,
      CORRIDOR_SESSION_SECRET: 'ingest-load-benchmark-secret-0123456789',
      // The rebuild replaces the sample data of the first start with the corpus.
      CORRIDOR_MAX_DROP_SHARE: '1',
    });
    const port = Number(new URL(web.url).port);
    // Only what the run says matters here; request logs are drained, not kept.
    web.child.stdout?.removeAllListeners('data');
    web.child.stdout?.resume();
    const staff = await signInStaff(web.url, 'bench', password);

    const first = await reindex(staff);
    const built = await waitForEnd(staff, first);
    if (built.outcome !== 'succeeded') throw new Error(`the first build ${built.outcome}: ${built.error ?? ''}`);
    console.log(`first build of the index from the console: ${built.duration}`);

    // Idle: 20 rounds of the mix before the rebuild and 20 after it (the machine may be shared:
    // measuring on both sides keeps a passing load elsewhere from deciding the ratio).
    await searchLoad(port, () => true); // warm-up: every query once
    const rounds = (n: number) => ((i) => () => ++i >= n * QUERY_MIX.length)(0);
    const idleBefore = await searchLoad(port, rounds(20));
    console.log(`search, idle before:     ${stats(idleBefore)}`);

    let running = true;
    const runId = await reindex(staff);
    const startedAt = performance.now();
    const polls: number[] = [];
    // The console's progress, as its script polls it (once a second), timed too.
    const poller = (async () => {
      while (running) {
        const t0 = performance.now();
        await current(staff);
        polls.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    const ended = waitForEnd(staff, runId).then((last) => {
      running = false;
      return last;
    });
    const during = await searchLoad(port, () => !running);
    const rebuild = await ended;
    await poller;
    const seconds = (performance.now() - startedAt) / 1000;
    if (rebuild.outcome !== 'succeeded') throw new Error(`the rebuild ${rebuild.outcome}: ${rebuild.error ?? ''}`);
    const idleAfter = await searchLoad(port, rounds(20));
    const idle = [...idleBefore, ...idleAfter];
    console.log(`search, idle after:      ${stats(idleAfter)}`);
    console.log(`search, idle (both):     ${stats(idle)}`);
    console.log(`search, during rebuild:  ${stats(during)}`);
    console.log(`console progress (GET /staff/api/jobs/current) during rebuild: ${stats(polls)}`);
    const p95 = (values: number[]) => percentile([...values].sort((a, b) => a - b), 95);
    const ratio = p95(during) / p95(idle);
    console.log(`rebuild of ${records.toLocaleString('en')} records from the console: ${seconds.toFixed(1)} s (run ${runId})`);
    console.log(`p95 during rebuild / p95 idle: ${ratio.toFixed(2)}x (target: at most 1.5x)`);
  } finally {
    await web?.kill();
    if (engine === 'elasticsearch') await deleteBenchIndices(`corridor-bench-load-${process.pid}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function deleteBenchIndices(prefix: string): Promise<void> {
  const { createClient } = await import('../src/backends/elasticsearch/client');
  const client = createClient({
    nodes: [process.env.CORRIDOR_ES_URL!],
    username: process.env.CORRIDOR_ES_USERNAME,
    password: process.env.CORRIDOR_ES_PASSWORD,
    timeoutMs: 30_000,
  });
  try {
    const indices = Object.keys(await client.indices.get({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true }));
    if (indices.length > 0) await client.indices.delete({ index: indices });
  } finally {
    await client.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
