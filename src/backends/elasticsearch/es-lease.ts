/**
 * LeaseStore (src/jobs/lease.ts) as one document per lease in `<prefix>-jobs`, for deployments
 * where several machines share a cluster and no file system. Every change is a conditional write
 * (if_seq_no + if_primary_term, or op_type=create for a free lease): of two processes that read
 * the same state and both try to take the lease, Elasticsearch accepts exactly one write and
 * answers 409 to the other. Reads by id are real time, so no refresh is involved.
 *
 * Expiry is judged with this process's clock: machines sharing a cluster should keep their clocks
 * in sync (NTP); a skew of a few seconds only shortens or lengthens a dead holder's lease.
 */
import type { Client } from '@elastic/elasticsearch';
import { toLease, type AcquireResult, type Lease, type LeaseStore, type StoredLease } from '../../jobs/lease';
import { indexCreator, isConflict, isNotFound } from './client';

type LeaseDoc = StoredLease;

interface Stored {
  doc: LeaseDoc;
  seqNo: number;
  primaryTerm: number;
}

export interface EsLeaseStoreOptions {
  /** The clock; tests move it forward instead of sleeping. */
  now?: () => number;
  replicas?: number;
}

export class ElasticsearchLeaseStore implements LeaseStore {
  private readonly now: () => number;
  /** Creates the jobs index on first use. */
  private readonly ensureIndex: () => Promise<void>;

  constructor(
    private readonly client: Client,
    private readonly index: string,
    options: EsLeaseStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.ensureIndex = indexCreator(client, index, {
      settings: { number_of_shards: 1, number_of_replicas: options.replicas ?? 0 },
      mappings: { dynamic: false, properties: { name: { type: 'keyword' }, expires_at: { type: 'long' } } },
    });
  }

  private async read(name: string): Promise<Stored | undefined> {
    await this.ensureIndex();
    try {
      const res = await this.client.get<LeaseDoc>({ index: this.index, id: name });
      if (!res.found || !res._source || res._seq_no === undefined || res._primary_term === undefined) return undefined;
      return { doc: res._source, seqNo: res._seq_no, primaryTerm: res._primary_term };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Writes `doc` only if the stored lease is still `expected` (or still absent). False when another process won. */
  private async writeIf(doc: LeaseDoc, expected: Stored | undefined): Promise<boolean> {
    try {
      if (expected) {
        await this.client.index({
          index: this.index,
          id: doc.name,
          document: doc,
          if_seq_no: expected.seqNo,
          if_primary_term: expected.primaryTerm,
        });
      } else {
        await this.client.index({ index: this.index, id: doc.name, document: doc, op_type: 'create' });
      }
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  async acquire(name: string, holder: string, ttlMs: number, owner = holder): Promise<AcquireResult> {
    const now = this.now();
    const stored = await this.read(name);
    const free = !stored || stored.doc.expires_at <= now;
    const ours = stored?.doc.holder === holder;
    if (!free && !ours) return { acquired: false, current: toLease(stored.doc) };
    const doc: LeaseDoc = {
      name,
      holder,
      owner,
      // Re-acquiring one's own lease keeps the original acquisition time.
      acquired_at: ours && stored ? stored.doc.acquired_at : now,
      renewed_at: now,
      expires_at: now + ttlMs,
    };
    if (await this.writeIf(doc, stored)) return { acquired: true, lease: toLease(doc) };
    const winner = await this.read(name);
    return { acquired: false, current: winner && winner.doc.expires_at > now ? toLease(winner.doc) : null };
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<Lease | null> {
    const now = this.now();
    const stored = await this.read(name);
    if (!stored || stored.doc.holder !== holder) return null;
    const doc: LeaseDoc = { ...stored.doc, renewed_at: now, expires_at: now + ttlMs };
    return (await this.writeIf(doc, stored)) ? toLease(doc) : null;
  }

  async release(name: string, holder: string): Promise<boolean> {
    const stored = await this.read(name);
    if (!stored || stored.doc.holder !== holder) return false;
    try {
      await this.client.delete({ index: this.index, id: name, if_seq_no: stored.seqNo, if_primary_term: stored.primaryTerm });
      return true;
    } catch (err) {
      if (isConflict(err) || isNotFound(err)) return false;
      throw err;
    }
  }

  async current(name: string): Promise<Lease | null> {
    const stored = await this.read(name);
    return stored && stored.doc.expires_at > this.now() ? toLease(stored.doc) : null;
  }

  /** The client is shared with the backend; the engine's close() closes it. */
  async close(): Promise<void> {}
}
