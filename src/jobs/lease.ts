/**
 * A named, time-limited lock that works across processes. Every ingest trigger (the nightly
 * schedule, a staff member's button, the CLI) takes the same lease before it runs, so two
 * ingests never overlap. A holder that dies stops renewing, and its lease expires after its
 * time to live, so a crash never leaves the lock stuck.
 *
 * Implementations: SQLite (src/backends/sqlite/sqlite-lease-store.ts, one file shared by the processes of
 * one machine) and Elasticsearch (a document per lease, for several machines).
 */

export interface Lease {
  name: string;
  /** Unique per acquisition (host, pid, run): only this holder may renew or release it. */
  holder: string;
  /** Who holds it, for people: "staff:amina (run-…)", "cli (run-…)". */
  owner: string;
  acquiredAt: Date;
  renewedAt: Date;
  expiresAt: Date;
}

export type AcquireResult =
  | { acquired: true; lease: Lease }
  /** `current` is the live lease that stood in the way (null if it vanished in between). */
  | { acquired: false; current: Lease | null };

export interface LeaseStore {
  /**
   * Takes the lease when it is free, expired, or already held by `holder` (re-acquiring one's
   * own lease renews it). Atomic: of two processes racing, exactly one gets it.
   */
  acquire(name: string, holder: string, ttlMs: number, owner?: string): Promise<AcquireResult>;
  /** Extends a lease this holder still has; null when it was lost (taken over after expiry). */
  renew(name: string, holder: string, ttlMs: number): Promise<Lease | null>;
  /** Gives the lease up; false when this holder no longer had it. */
  release(name: string, holder: string): Promise<boolean>;
  /** The live (unexpired) lease, or null when the lock is free. */
  current(name: string): Promise<Lease | null>;
  close(): Promise<void>;
}

/** The lease every ingest trigger takes. */
export const INGEST_LOCK = 'ingest';

/** The holder of a run's lease: the runner instance, then the run id (JobRunner.start). */
export function runHolder(instance: string, runId: string): string {
  return `${instance}/${runId}`;
}

/** The run id in a holder made by runHolder(); undefined for other holders (a CLI rollback). */
export function holderRunId(holder: string | undefined): string | undefined {
  const slash = holder?.lastIndexOf('/') ?? -1;
  return slash >= 0 ? holder!.slice(slash + 1) || undefined : undefined;
}

/** A lease as stores keep it: times in epoch milliseconds, snake_case as in their tables and documents. */
export interface StoredLease {
  name: string;
  holder: string;
  owner: string;
  acquired_at: number;
  renewed_at: number;
  expires_at: number;
}

export function toLease(stored: StoredLease): Lease {
  return {
    name: stored.name,
    holder: stored.holder,
    owner: stored.owner,
    acquiredAt: new Date(stored.acquired_at),
    renewedAt: new Date(stored.renewed_at),
    expiresAt: new Date(stored.expires_at),
  };
}
