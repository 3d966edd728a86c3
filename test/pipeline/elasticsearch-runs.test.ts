/**
 * Runs on Elasticsearch, through the CLI and the web process as operators use them: a full run
 * writes every record once (a new generation, and only the records of a failed source carried
 * over, instead of a copy of the live index rewritten); an index left by a killed build is removed
 * at the next run; the run history lives in the cluster, so every web process of a deployment
 * (whatever its data directory) shows the same runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { hashPassword } from '../../src/web/staff/passwords';
import { tempDir } from '../jobs/helpers';
import { deletePrefix, describeWithElasticsearch, testClient, uniquePrefix } from '../support/elasticsearch';
import { runCli, signInStaff, startWebProcess, writeRecords } from '../support/processes';

jest.setTimeout(180_000);

describeWithElasticsearch('runs on Elasticsearch', (settings) => {
  let dir: string;
  let prefix: string;
  let client: Client;
  let env: Record<string, string>;

  beforeAll(() => {
    dir = tempDir('corridor-es-runs-');
    prefix = uniquePrefix('runs');
    client = testClient(settings);
    env = {
      CORRIDOR_ENGINE: 'elasticsearch',
      CORRIDOR_ES_URL: settings.url!,
      CORRIDOR_ES_USERNAME: settings.username ?? '',
      CORRIDOR_ES_PASSWORD: settings.password ?? '',
      CORRIDOR_ES_INDEX_PREFIX: prefix,
      CORRIDOR_DATA_DIR: path.join(dir, 'data-a'),
      CORRIDOR_SOURCES_FILE: path.join(dir, 'sources.json'),
    };
    writeRecords(path.join(dir, 'main.ndjson'), 1500, 'main');
    writeRecords(path.join(dir, 'partner.ndjson'), 300, 'partner');
    fs.writeFileSync(
      path.join(dir, 'sources.json'),
      JSON.stringify({
        sources: [
          { id: 'main', kind: 'file', location: 'main.ndjson' },
          { id: 'partner', kind: 'file', location: 'partner.ndjson' },
        ],
      }),
    );
  });
  afterAll(async () => {
    await deletePrefix(client, prefix);
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function liveIndex(): Promise<{ name: string; count: number; indexed: number }> {
    const alias = await client.indices.getAlias({ name: `${prefix}-docs` });
    const name = Object.keys(alias)[0]!;
    await client.indices.refresh({ index: name });
    const stats = await client.indices.stats({ index: name, metric: ['indexing', 'docs'] });
    return { name, count: stats._all.primaries!.docs!.count!, indexed: stats._all.primaries!.indexing!.index_total! };
  }

  it('writes each record once in a full run, carrying over only the records of a source that failed', async () => {
    expect((await runCli(['run-sources'], env)).code).toBe(0);
    const first = await liveIndex();
    expect(first).toMatchObject({ count: 1800, indexed: 1800 });

    // The partner's file is gone this time: the source fails, and its records are kept.
    fs.renameSync(path.join(dir, 'partner.ndjson'), path.join(dir, 'partner.ndjson.away'));
    const run = await runCli(['run-sources'], env);
    fs.renameSync(path.join(dir, 'partner.ndjson.away'), path.join(dir, 'partner.ndjson'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/partial/);
    const second = await liveIndex();
    expect(second.name).not.toBe(first.name);
    expect(second).toMatchObject({ count: 1800, indexed: 1800 });
  });

  it('removes an index left by a killed build at the next run, not an hour later', async () => {
    const orphan = `${prefix}-docs-20990101t000000000z-abcdef`;
    await client.indices.create({
      index: orphan,
      mappings: { _meta: { corridor: { state: 'building', generation: orphan, startedAt: new Date().toISOString() } } },
    });
    expect((await runCli(['run-sources'], env)).code).toBe(0);
    expect(await client.indices.exists({ index: orphan })).toBe(false);
  });

  it('keeps the run history in the cluster: a web process with another data directory shows the CLI runs', async () => {
    const password = 'a web process test password';
    const web = await startWebProcess({
      ...env,
      CORRIDOR_DATA_DIR: path.join(dir, 'data-b'),
      CORRIDOR_STAFF_ACCOUNTS: `amina:${await hashPassword(password, { N: 2 ** 14, r: 8, p: 1 })}`,
      CORRIDOR_SESSION_SECRET: 'elasticsearch-runs-secret-elasticsearch-runs',
    });
    try {
      const staff = await signInStaff(web.url, 'amina', password);
      const runs = (await (await staff.get('/staff/api/runs')).json()) as { total: number; runs: { trigger: string; outcome: string }[] };
      expect(runs.total).toBe(3);
      expect(runs.runs.every((r) => r.trigger === 'cli')).toBe(true);
      expect(runs.runs.map((r) => r.outcome)).toEqual(['succeeded', 'partial', 'succeeded']);
    } finally {
      await web.kill();
    }
  });
});
