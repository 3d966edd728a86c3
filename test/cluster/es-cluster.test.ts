/**
 * Failover on a real three-node cluster (replicas 1): stop the elected master during a search
 * loop; every search keeps succeeding with complete results, and a rebuild run during the outage
 * either completes or leaves the live alias exactly as it was.
 *
 * Enabled by CORRIDOR_ES_CLUSTER=1 with the variables `npm run es:cluster:start` writes to
 * /var/tmp/corridor-es/cluster.env (CORRIDOR_ES_NODES, CORRIDOR_ES_USERNAME, CORRIDOR_ES_PASSWORD).
 * It stops a node with scripts/es/es-stop.sh and starts it again afterwards (es-start.sh --cluster).
 * Reported as skipped, with the reason, without CORRIDOR_ES_CLUSTER (a plain `npm test`); with
 * it, a missing cluster fails. In CI it never skips: .ci/run leaves this file out of the first
 * pass and runs it on its own once the cluster is up.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import { openElasticsearchBackend, type ElasticsearchBackend } from '../../src/backends/elasticsearch';
import { analyseQuery } from '../../src/search/query-analyser';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import type { ResourceDocument } from '../../src/search/types';
import { makeDocument } from '../contract/contract-documents';
import { query } from '../contract/engine-contract';
import { deletePrefix, uniquePrefix } from '../support/elasticsearch';
import { describeIfAvailable } from '../support/skip';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const vocab = loadVocabulary();
const DOCUMENTS = 3000;

const nodes = (process.env.CORRIDOR_ES_NODES ?? '').split(',').map((u) => u.trim()).filter(Boolean);
const enabled = process.env.CORRIDOR_ES_CLUSTER === '1';
// Asked for but not there is a failure, never a skip (CI runs this file on its own with the variable set).
if (enabled && nodes.length !== 3) {
  throw new Error('CORRIDOR_ES_CLUSTER=1 needs CORRIDOR_ES_NODES with three URLs: run `npm run es:cluster:start` and source /var/tmp/corridor-es/cluster.env');
}

function corpus(n: number): ResourceDocument[] {
  const countries = ['NPL', 'QAT', 'LAO', 'THA', 'PHL', 'SAU', 'MMR', 'KGZ'];
  const words = ['migration', 'recruitment', 'remittances', 'domestic workers', 'wages', 'return', 'health', 'construction'];
  return Array.from({ length: n }, (_, i) =>
    makeDocument({
      id: `cl-${i}`,
      title: `${words[i % words.length]} study ${i}`,
      abstract: `A record about ${words[(i * 7) % words.length]} and ${words[(i * 3) % words.length]} of migrants.`,
      countries: [countries[i % countries.length]],
      type: i % 3 === 0 ? 'Report' : 'Policy brief',
      published: String(1990 + (i % 35)),
    }),
  );
}

function failoverSuite(): void {
  const auth = process.env.CORRIDOR_ES_USERNAME
    ? { username: process.env.CORRIDOR_ES_USERNAME, password: process.env.CORRIDOR_ES_PASSWORD ?? '' }
    : undefined;
  const prefix = uniquePrefix('cluster');
  let backend: ElasticsearchBackend;
  let admin: Client;
  let stopped: string | undefined;
  const docs = corpus(DOCUMENTS);

  beforeAll(async () => {
    admin = new Client({ nodes, auth, requestTimeout: 60_000 });
    backend = openElasticsearchBackend(
      { url: nodes[0], nodes, indexPrefix: prefix, shards: 3, replicas: 1, timeoutMs: 10_000, ...auth },
      vocab,
    );
    const writer = await backend.admin.openWriter({ mode: 'full' });
    await writer.write(docs);
    await writer.commit({ runId: 'cluster-seed', maxDropShare: 1 });
    // Every shard has its replica before a node goes: otherwise a stop could lose data.
    await admin.cluster.health({ index: `${prefix}-docs`, wait_for_status: 'green', timeout: '90s' });
  }, 180_000);

  afterAll(async () => {
    if (stopped) await run('bash', [path.join(ROOT, 'scripts/es/es-start.sh'), '--cluster'], { cwd: ROOT, timeout: 240_000 });
    await deletePrefix(admin, prefix).catch(() => undefined);
    await admin?.close();
    await backend?.engine.close();
  }, 300_000);

  it('keeps answering searches while the master node stops, and a rebuild either completes or changes nothing', async () => {
    const before = await backend.engine.status();
    const master = (await admin.cat.master({ format: 'json' }))[0]?.node;
    expect(master).toMatch(/^n[1-3]$/);

    const failures: string[] = [];
    const totals = new Set<number>();
    let searches = 0;
    let looping = true;
    const loop = (async () => {
      const texts = ['', 'migration', 'domestic workers', '-wages'];
      while (looping) {
        const text = texts[searches % texts.length];
        try {
          const page = await backend.engine.search({ query: query(text, { size: 10 }), analysed: analyseQuery(vocab, text) });
          if (text === '') totals.add(page.total);
        } catch (err) {
          failures.push(`${text}: ${(err as Error).message}`);
        }
        searches++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    await new Promise((r) => setTimeout(r, 1000));
    stopped = master;
    const stopping = run('bash', [path.join(ROOT, 'scripts/es/es-stop.sh'), master ?? 'n1'], { cwd: ROOT, timeout: 120_000 });

    // A full rebuild while the node goes down: one more document than the live generation.
    let rebuild: { ok: true; generation: string } | { ok: false; error: string };
    try {
      const writer = await backend.admin.openWriter({ mode: 'full' });
      await writer.write([...docs, makeDocument({ id: 'cl-new', title: 'Rebuilt during the outage' })]);
      const result = await writer.commit({ runId: 'cluster-rebuild', maxDropShare: 0.1 });
      rebuild = { ok: true, generation: result.generation };
    } catch (err) {
      // Which request failed, for the log (the client's errors carry it in meta).
      const request = (err as { meta?: { meta?: { request?: { params?: { method?: string; path?: string } } } } }).meta?.meta?.request?.params;
      rebuild = { ok: false, error: `${(err as Error).message}${request ? ` (${request.method} ${request.path})` : ''}` };
    }
    await stopping;
    await new Promise((r) => setTimeout(r, 3000));
    looping = false;
    await loop;

    expect(searches).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    // Complete results throughout: the live generation's count, and after a committed rebuild the new one's.
    const expected = rebuild.ok ? [DOCUMENTS, DOCUMENTS + 1] : [DOCUMENTS];
    for (const total of totals) expect(expected).toContain(total);

    const after = await backend.engine.status();
    if (rebuild.ok) {
      expect(after).toMatchObject({ generation: rebuild.generation, documents: DOCUMENTS + 1 });
      expect((await backend.engine.search({ query: query('outage'), analysed: analyseQuery(vocab, 'outage') })).hits.map((h) => h.id)).toEqual(['cl-new']);
    } else {
      expect(after).toMatchObject({ generation: before.generation, documents: DOCUMENTS });
    }
    console.info(`cluster failover: ${searches} searches, 0 failed; rebuild ${rebuild.ok ? 'completed' : `refused (${rebuild.error})`}`);
  }, 240_000);
}

describeIfAvailable(
  enabled ? undefined : 'CORRIDOR_ES_CLUSTER is not set (`npm run es:cluster:start`, source /var/tmp/corridor-es/cluster.env, CORRIDOR_ES_CLUSTER=1)',
  'Elasticsearch three-node cluster failover',
  failoverSuite,
);
