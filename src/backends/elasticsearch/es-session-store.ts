/**
 * SessionStore (src/jobs/session-store.ts) as one document per staff session in
 * `<prefix>-sessions`, for deployments whose web processes share a cluster and no file system.
 * Sessions are read by id (real time, no refresh needed). The rare removals of many (sign out
 * everywhere, pruning) refresh first, so that a session created a moment ago is found, then
 * delete by id in one bulk request (not _delete_by_query, which lives in a module a cluster may
 * lack), refreshing so that a session ended is ended for the next request.
 */
import type { Client } from '@elastic/elasticsearch';
import type { SessionStore, StaffSessionRecord } from '../../jobs/session-store';
import { indexCreator, isNotFound } from './client';

const PRUNE_PAGE = 1000;

export class ElasticsearchSessionStore implements SessionStore {
  /** Creates the index on first use (any process may; the loser's 400 is ignored). */
  private readonly ensureIndex: () => Promise<void>;

  constructor(
    private readonly client: Client,
    private readonly index: string,
    options: { replicas?: number } = {},
  ) {
    this.ensureIndex = indexCreator(client, index, {
      settings: { number_of_shards: 1, number_of_replicas: options.replicas ?? 0 },
      mappings: {
        dynamic: false,
        properties: { user: { type: 'keyword' }, passwordVersion: { type: 'keyword' }, expiresAt: { type: 'long' } },
      },
    });
  }

  async create(session: StaffSessionRecord): Promise<void> {
    await this.ensureIndex();
    await this.client.create({ index: this.index, id: session.id, document: session });
  }

  async find(id: string, now = Date.now()): Promise<StaffSessionRecord | null> {
    await this.ensureIndex();
    try {
      const res = await this.client.get<StaffSessionRecord>({ index: this.index, id });
      const doc = res.found ? res._source : undefined;
      return doc !== undefined && doc.expiresAt > now ? doc : null;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(id: string): Promise<void> {
    await this.ensureIndex();
    try {
      await this.client.delete({ index: this.index, id, refresh: true });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async deleteUser(user: string): Promise<number> {
    const ended: string[] = [];
    for await (const doc of this.sessions({ term: { user: user.toLowerCase() } })) ended.push(doc.id);
    return this.deleteIds(ended);
  }

  async prune(accounts: ReadonlyMap<string, string>, now = Date.now()): Promise<number> {
    const ended: string[] = [];
    // Few documents (one per signed-in session), so one pass over them all is enough.
    for await (const doc of this.sessions({ match_all: {} })) {
      if (doc.expiresAt <= now || accounts.get(doc.user) !== doc.passwordVersion) ended.push(doc.id);
    }
    return this.deleteIds(ended);
  }

  private async *sessions(query: Record<string, unknown>): AsyncIterable<StaffSessionRecord> {
    await this.ensureIndex();
    await this.client.indices.refresh({ index: this.index });
    yield* this.client.helpers.scrollDocuments<StaffSessionRecord>({ index: this.index, size: PRUNE_PAGE, query });
  }

  private async deleteIds(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const res = await this.client.bulk({ refresh: true, operations: ids.map((id) => ({ delete: { _index: this.index, _id: id } })) });
    return res.items.filter((item) => item.delete?.result === 'deleted').length;
  }
}
