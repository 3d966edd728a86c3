/**
 * LeaseStore on `<dataDir>/operations.sqlite`. Every process that ingests into this data
 * directory (the web process, `npm run ingest`, `npm run corridor -- run-sources`) opens the same
 * file, so the lease is one lock for all of them. SQLite serialises writers, and acquisition is a
 * single upsert, so of two processes racing for a free or expired lease exactly one wins.
 */
import { toLease, type AcquireResult, type Lease, type LeaseStore, type StoredLease } from '../../jobs/lease';
import { openOperationsDb, type OperationsDb } from './operations-db';

type LeaseRow = StoredLease;

export interface SqliteLeaseStoreOptions {
  /** The clock; tests move it forward instead of sleeping. All processes on one machine share it. */
  now?: () => number;
}

export class SqliteLeaseStore implements LeaseStore {
  private readonly now: () => number;
  private readonly stmt;

  /** `ownsDb`: close() closes the connection (false when it is shared with the run history). */
  constructor(
    private readonly db: OperationsDb,
    options: SqliteLeaseStoreOptions = {},
    private readonly ownsDb = false,
  ) {
    this.now = options.now ?? Date.now;
    this.stmt = {
      // One statement: insert when the name is free; otherwise take the row over only when it has
      // expired or is already ours. A holder re-acquiring keeps its original acquisition time.
      acquire: db.prepare(`
        INSERT INTO leases (name, holder, owner, acquired_at, renewed_at, expires_at)
        VALUES (@name, @holder, @owner, @now, @now, @expires)
        ON CONFLICT (name) DO UPDATE SET
          acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
          holder = excluded.holder,
          owner = excluded.owner,
          renewed_at = excluded.renewed_at,
          expires_at = excluded.expires_at
        WHERE leases.expires_at <= excluded.acquired_at OR leases.holder = excluded.holder`),
      renew: db.prepare('UPDATE leases SET renewed_at = @now, expires_at = @expires WHERE name = @name AND holder = @holder'),
      release: db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?'),
      get: db.prepare('SELECT * FROM leases WHERE name = ?'),
    };
  }

  static open(dataDir: string, options: SqliteLeaseStoreOptions = {}): SqliteLeaseStore {
    return new SqliteLeaseStore(openOperationsDb(dataDir), options, true);
  }

  async acquire(name: string, holder: string, ttlMs: number, owner = holder): Promise<AcquireResult> {
    const now = this.now();
    // The read-back shares the write's transaction, so the answer describes what the upsert did.
    return this.db.transaction((): AcquireResult => {
      const { changes } = this.stmt.acquire.run({ name, holder, owner, now, expires: now + ttlMs });
      const row = this.stmt.get.get(name) as LeaseRow | undefined;
      if (changes === 1 && row?.holder === holder) return { acquired: true, lease: toLease(row) };
      return { acquired: false, current: row && row.expires_at > now ? toLease(row) : null };
    }).immediate();
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<Lease | null> {
    const now = this.now();
    const { changes } = this.stmt.renew.run({ name, holder, now, expires: now + ttlMs });
    if (changes !== 1) return null;
    const row = this.stmt.get.get(name) as LeaseRow | undefined;
    return row ? toLease(row) : null;
  }

  async release(name: string, holder: string): Promise<boolean> {
    return this.stmt.release.run(name, holder).changes === 1;
  }

  async current(name: string): Promise<Lease | null> {
    const row = this.stmt.get.get(name) as LeaseRow | undefined;
    return row && row.expires_at > this.now() ? toLease(row) : null;
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}
