/**
 * The SQLite lease store: one lock for every process that shares a data directory. Time is a
 * fake clock, so expiry is tested without sleeping.
 */
import fs from 'node:fs';
import { openOperationsStore, type OperationsStore } from '../../src/jobs/operations-store';
import { SqliteLeaseStore } from '../../src/jobs/sqlite-lease-store';
import { tempDir } from './helpers';

let dir: string;
let now: number;
const clock = () => now;
let stores: OperationsStore[] = [];

function open(): OperationsStore {
  const store = openOperationsStore(dir, { now: clock });
  stores.push(store);
  return store;
}

beforeEach(() => {
  dir = tempDir();
  now = 1_000_000;
  stores = [];
});
afterEach(() => {
  for (const s of stores) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a free lease is taken; a held one is refused with the holder named', async () => {
  const { leases } = open();
  const a = await leases.acquire('ingest', 'host:1/run-a', 10_000, 'staff:amina, run run-a');
  expect(a.acquired).toBe(true);
  const b = await leases.acquire('ingest', 'host:2/run-b', 10_000, 'cli, run run-b');
  expect(b).toEqual({ acquired: false, current: expect.objectContaining({ holder: 'host:1/run-a', owner: 'staff:amina, run run-a' }) });
  if (!b.acquired) expect(b.current?.acquiredAt.getTime()).toBe(1_000_000);
  // Another name is another lock.
  expect((await leases.acquire('other', 'host:2/run-b', 10_000)).acquired).toBe(true);
});

test('the holder may re-acquire (keeping its start time), renew and release; others may not', async () => {
  const { leases } = open();
  await leases.acquire('ingest', 'A', 1000);
  now += 500;
  const again = await leases.acquire('ingest', 'A', 1000);
  expect(again.acquired && again.lease.acquiredAt.getTime()).toBe(1_000_000);
  expect(again.acquired && again.lease.expiresAt.getTime()).toBe(1_001_500);
  expect(await leases.renew('ingest', 'B', 1000)).toBeNull();
  expect(await leases.release('ingest', 'B')).toBe(false);
  expect((await leases.current('ingest'))?.holder).toBe('A');
  expect(await leases.release('ingest', 'A')).toBe(true);
  expect(await leases.current('ingest')).toBeNull();
});

test('a stale lease (its holder stopped renewing) is taken over after its ttl, not before', async () => {
  const { leases } = open();
  await leases.acquire('ingest', 'dead', 1000);
  now += 999;
  expect((await leases.acquire('ingest', 'next', 1000)).acquired).toBe(false);
  now += 1;
  const taken = await leases.acquire('ingest', 'next', 1000);
  expect(taken.acquired).toBe(true);
  // The old holder has lost it for good.
  expect(await leases.renew('ingest', 'dead', 1000)).toBeNull();
  expect(await leases.release('ingest', 'dead')).toBe(false);
  expect((await leases.current('ingest'))?.holder).toBe('next');
});

test('a live lease, renewed by its heartbeat, is never taken over', async () => {
  const { leases } = open();
  await leases.acquire('ingest', 'live', 1000);
  for (let i = 0; i < 10; i++) {
    now += 400; // well past the original ttl after a few beats
    expect(await leases.renew('ingest', 'live', 1000)).not.toBeNull();
    expect((await leases.acquire('ingest', 'intruder', 1000)).acquired).toBe(false);
  }
});

test('current() reports nothing for an expired lease', async () => {
  const { leases } = open();
  await leases.acquire('ingest', 'A', 1000);
  now += 1000;
  expect(await leases.current('ingest')).toBeNull();
});

test('two connections to one file (two processes) racing for the lock: exactly one wins', async () => {
  const one = open().leases;
  const two = open().leases;
  const attempts = Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).acquire('ingest', `holder-${i}`, 5000));
  const results = await Promise.all(attempts);
  expect(results.filter((r) => r.acquired)).toHaveLength(1);
  const winner = results.findIndex((r) => r.acquired);
  for (const r of results) if (!r.acquired) expect(r.current?.holder).toBe(`holder-${winner}`);
});

test('the store survives a reopen: the lease is in the file, not in memory', async () => {
  const first = SqliteLeaseStore.open(dir, { now: clock });
  await first.acquire('ingest', 'A', 60_000, 'cli, run run-1');
  await first.close();
  const second = SqliteLeaseStore.open(dir, { now: clock });
  expect((await second.current('ingest'))?.owner).toBe('cli, run run-1');
  await second.close();
});
