/**
 * The behaviour every LeaseStore (src/jobs/lease.ts) must have: one lock for every process that
 * shares it. Each store's test file calls describeLeaseStoreContract() with a factory. Time is a
 * fake clock, so expiry is tested without sleeping.
 */
import type { LeaseStore } from '../../src/jobs/lease';

export interface LeaseStoresUnderTest {
  /** A new connection to the same store, as another process would have; `now` is its clock. */
  open(now: () => number): LeaseStore;
  cleanup(): Promise<void>;
}

export function describeLeaseStoreContract(name: string, create: () => Promise<LeaseStoresUnderTest>): void {
  describe(`${name}: lease store contract`, () => {
    let under: LeaseStoresUnderTest;
    let now: number;
    let stores: LeaseStore[];
    const clock = () => now;
    const open = () => {
      const store = under.open(clock);
      stores.push(store);
      return store;
    };
    // Each test takes its own lock name: the store outlives the tests.
    let lock: string;
    let n = 0;

    beforeAll(async () => {
      under = await create();
    });
    afterAll(async () => {
      await under.cleanup();
    });
    beforeEach(() => {
      now = 1_000_000;
      stores = [];
      lock = `ingest-${++n}`;
    });
    afterEach(async () => {
      for (const s of stores) await s.close();
    });

    it('takes a free lease; refuses a held one, naming the holder', async () => {
      const leases = open();
      const a = await leases.acquire(lock, 'host:1/run-a', 10_000, 'staff:amina, run run-a');
      expect(a.acquired).toBe(true);
      const b = await leases.acquire(lock, 'host:2/run-b', 10_000, 'cli, run run-b');
      expect(b).toEqual({ acquired: false, current: expect.objectContaining({ holder: 'host:1/run-a', owner: 'staff:amina, run run-a' }) });
      if (!b.acquired) expect(b.current?.acquiredAt.getTime()).toBe(1_000_000);
      // Another name is another lock.
      expect((await leases.acquire(`${lock}-other`, 'host:2/run-b', 10_000)).acquired).toBe(true);
    });

    it('lets the holder re-acquire (keeping its start time), renew and release; nobody else', async () => {
      const leases = open();
      await leases.acquire(lock, 'A', 1000);
      now += 500;
      const again = await leases.acquire(lock, 'A', 1000);
      expect(again.acquired && again.lease.acquiredAt.getTime()).toBe(1_000_000);
      expect(again.acquired && again.lease.expiresAt.getTime()).toBe(1_001_500);
      expect(await leases.renew(lock, 'B', 1000)).toBeNull();
      expect(await leases.release(lock, 'B')).toBe(false);
      expect((await leases.current(lock))?.holder).toBe('A');
      expect(await leases.release(lock, 'A')).toBe(true);
      expect(await leases.current(lock)).toBeNull();
    });

    it('hands a stale lease (its holder stopped renewing) over after its ttl, not before', async () => {
      const leases = open();
      await leases.acquire(lock, 'dead', 1000);
      now += 999;
      expect((await leases.acquire(lock, 'next', 1000)).acquired).toBe(false);
      now += 1;
      expect((await leases.acquire(lock, 'next', 1000)).acquired).toBe(true);
      // The old holder has lost it for good.
      expect(await leases.renew(lock, 'dead', 1000)).toBeNull();
      expect(await leases.release(lock, 'dead')).toBe(false);
      expect((await leases.current(lock))?.holder).toBe('next');
    });

    it('never hands over a live lease, renewed by its heartbeat', async () => {
      const leases = open();
      await leases.acquire(lock, 'live', 1000);
      for (let i = 0; i < 5; i++) {
        now += 400; // well past the original ttl after a few beats
        expect((await leases.renew(lock, 'live', 1000))?.expiresAt.getTime()).toBe(now + 1000);
        expect((await leases.acquire(lock, 'intruder', 1000)).acquired).toBe(false);
      }
    });

    it('reports no current lease once it has expired', async () => {
      const leases = open();
      await leases.acquire(lock, 'A', 1000);
      now += 1000;
      expect(await leases.current(lock)).toBeNull();
    });

    it('gives a free lease to exactly one of several processes racing for it', async () => {
      const connections = [open(), open(), open(), open()];
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => connections[i % 4]!.acquire(lock, `holder-${i}`, 5000)));
      expect(results.filter((r) => r.acquired)).toHaveLength(1);
      const winner = results.find((r) => r.acquired);
      for (const r of results) if (!r.acquired) expect(r.current?.holder).toBe(winner?.acquired && winner.lease.holder);
    });

    it('keeps the lease in the store, not in a process: another connection sees it', async () => {
      const first = open();
      await first.acquire(lock, 'A', 60_000, 'cli, run run-1');
      await first.close();
      expect((await open().current(lock))?.owner).toBe('cli, run run-1');
    });
  });
}
