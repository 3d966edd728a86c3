/**
 * One contract for both session stores: operations.sqlite (embedded deployments) and the
 * cluster (Elasticsearch deployments). Two store objects over the same place stand for two web
 * processes: what one ends, the other no longer finds.
 */
import fs from 'node:fs';
import { openOperationsStore, type OperationsStore } from '../../src/backends/sqlite/operations-store';
import type { SessionStore, StaffSessionRecord } from '../../src/jobs/session-store';
import { SqliteSessionStore } from '../../src/backends/sqlite/sqlite-session-store';
import { ElasticsearchSessionStore } from '../../src/backends/elasticsearch/es-session-store';
import { describeWithElasticsearch, testClient, uniquePrefix } from '../support/elasticsearch';
import { tempDir } from '../jobs/helpers';

const NOW = 1_800_000_000_000;
const session = (id: string, user: string, version = 'v1', expiresAt = NOW + 3_600_000): StaffSessionRecord => ({
  id,
  user,
  passwordVersion: version,
  createdAt: NOW,
  expiresAt,
});

function contract(name: string, open: () => Promise<{ a: SessionStore; b: SessionStore; close(): Promise<void> }>): void {
  describe(name, () => {
    let stores: { a: SessionStore; b: SessionStore; close(): Promise<void> };
    beforeEach(async () => {
      stores = await open();
    });
    afterEach(async () => {
      await stores.close();
    });

    it('finds a session in every process until it is deleted, and never once it has expired', async () => {
      await stores.a.create(session('s1', 'amina'));
      expect(await stores.b.find('s1', NOW)).toEqual(session('s1', 'amina'));
      expect(await stores.b.find('s1', NOW + 3_600_000)).toBeNull();
      await stores.b.delete('s1');
      expect(await stores.a.find('s1', NOW)).toBeNull();
      await stores.a.delete('never-existed');
    });

    it('ends every session of one account, and only those', async () => {
      await stores.a.create(session('s1', 'amina'));
      await stores.a.create(session('s2', 'amina'));
      await stores.a.create(session('s3', 'ben'));
      expect(await stores.b.deleteUser('Amina')).toBe(2);
      expect(await stores.a.find('s1', NOW)).toBeNull();
      expect(await stores.a.find('s2', NOW)).toBeNull();
      expect(await stores.a.find('s3', NOW)).not.toBeNull();
    });

    it('prunes sessions of removed accounts, changed passwords and expired ones', async () => {
      await stores.a.create(session('keep', 'amina', 'v2'));
      await stores.a.create(session('old-password', 'amina', 'v1'));
      await stores.a.create(session('removed', 'carl', 'v1'));
      await stores.a.create(session('expired', 'amina', 'v2', NOW - 1));
      expect(await stores.b.prune(new Map([['amina', 'v2']]), NOW)).toBe(3);
      expect(await stores.a.find('keep', NOW)).not.toBeNull();
      expect(await stores.a.find('old-password', NOW)).toBeNull();
      expect(await stores.a.find('removed', NOW)).toBeNull();
    });
  });
}

contract('SQLite session store', async () => {
  const dir = tempDir('corridor-sessions-');
  const one: OperationsStore = openOperationsStore(dir);
  const two: OperationsStore = openOperationsStore(dir);
  return {
    a: new SqliteSessionStore(one.db),
    b: new SqliteSessionStore(two.db),
    async close() {
      one.close();
      two.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeWithElasticsearch('Elasticsearch session store', (settings) => {
  contract('on a real cluster', async () => {
    const index = `${uniquePrefix('sessions')}-sessions`;
    const one = testClient(settings);
    const two = testClient(settings);
    return {
      a: new ElasticsearchSessionStore(one, index),
      b: new ElasticsearchSessionStore(two, index),
      async close() {
        await one.indices.delete({ index, ignore_unavailable: true });
        await Promise.all([one.close(), two.close()]);
      },
    };
  });
});
