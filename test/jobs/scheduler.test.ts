/** The nightly schedule: validated at start-up, disabled by configuration, skips when the lock is taken. */
import fs from 'node:fs';
import pino from 'pino';
import { JobRunner } from '../../src/jobs/job-runner';
import { openOperationsStore, type OperationsStore } from '../../src/backends/sqlite/operations-store';
import { ScheduleConfigError, startNightly, validateNightly } from '../../src/jobs/scheduler';
import { gate, gatedJob, okResult, tempDir, waitFor } from './helpers';

let dir: string;
let store: OperationsStore;
beforeEach(() => {
  dir = tempDir();
  store = openOperationsStore(dir);
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const silent = pino({ level: 'silent' });

test('bad expressions and time zones are refused at start-up, with the setting named', () => {
  expect(() => validateNightly({ enabled: true, cron: '0 25 * * *', timezone: 'UTC' })).toThrow(/CORRIDOR_NIGHTLY_CRON/);
  expect(() => validateNightly({ enabled: true, cron: '0 2 * * *', timezone: 'Mars/Olympus' })).toThrow(ScheduleConfigError);
  expect(() => validateNightly({ enabled: true, cron: '0 2 * * *', timezone: 'Asia/Bangkok' })).not.toThrow();
  expect(() => validateNightly({ enabled: false, cron: 'nonsense', timezone: 'nowhere' })).not.toThrow();
});

test('the next run is at 02:00 in the configured time zone; disabled means no schedule', async () => {
  const runner = new JobRunner({ leases: store.leases, history: store.history, job: async () => okResult(), ttlMs: 5000 });
  const on = startNightly({ enabled: true, cron: '0 2 * * *', timezone: 'Asia/Bangkok' }, runner, silent);
  const next = on.nextRun();
  expect(next).toBeInstanceOf(Date);
  // 02:00 in Bangkok (UTC+7) is 19:00 UTC.
  expect(next?.getUTCHours()).toBe(19);
  expect(next?.getUTCMinutes()).toBe(0);
  await on.stop();
  const off = startNightly({ enabled: false, cron: '0 2 * * *', timezone: 'UTC' }, runner, silent);
  expect(off.enabled).toBe(false);
  expect(off.nextRun()).toBeNull();
  await off.stop();
});

test('a nightly trigger that finds the lock taken logs and skips; otherwise it runs as "nightly"', async () => {
  const g = gate();
  const busy = new JobRunner({ leases: store.leases, history: store.history, job: gatedJob(g), ttlMs: 5000 });
  const staffRun = await busy.start('staff:amina', 'full');

  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) });
  const other = openOperationsStore(dir);
  const nightlyRunner = new JobRunner({ leases: other.leases, history: other.history, job: async () => okResult(), ttlMs: 5000 });
  const schedule = startNightly({ enabled: false, cron: '0 2 * * *', timezone: 'UTC', mode: 'incremental' }, nightlyRunner, logger);

  const skipped = await schedule.trigger();
  expect(skipped).toEqual({ skipped: expect.stringMatching(/already in progress \(staff:amina/) });
  expect(warnings).toContain('nightly ingest skipped: another run holds the lock');

  g.open();
  await staffRun.finished;
  const ran = await schedule.trigger();
  expect(ran).toEqual({ runId: expect.stringMatching(/^run-/) });
  const runId = (ran as { runId: string }).runId;
  const record = await waitFor(async () => {
    const run = await other.history.get(runId);
    return run?.outcome === 'succeeded' ? run : null;
  });
  expect(record).toMatchObject({ trigger: 'nightly', mode: 'incremental' });
  other.close();
});
