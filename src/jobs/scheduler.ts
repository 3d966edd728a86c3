/**
 * The nightly ingestion schedule, run by the web process with node-cron. It only asks the job
 * runner to start a run: when the lock is taken (a staff run, the CLI, another web process's
 * nightly run) it logs and skips this night, rather than queueing a second run behind the first.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { AlreadyRunningError, RunnerClosedError, type JobRunner } from './job-runner';
import type { RunMode } from './run-history';

export interface NightlyConfig {
  enabled: boolean;
  /** Five or six cron fields, e.g. "0 2 * * *" (02:00 every day). */
  cron: string;
  /** IANA time zone the expression is read in, e.g. "Europe/Berlin". */
  timezone: string;
  mode?: RunMode;
}

export interface NightlySchedule {
  readonly enabled: boolean;
  /** When the next run is due (null when disabled). */
  nextRun(): Date | null;
  /** Runs the nightly trigger now, as the schedule would (tests, "run now" tooling). */
  trigger(): Promise<{ runId: string } | { skipped: string }>;
  stop(): Promise<void>;
}

export class ScheduleConfigError extends Error {}

/** Checks the expression and time zone; start-up fails with a clear message when they are wrong. */
export function validateNightly(config: NightlyConfig): void {
  if (!config.enabled) return;
  const check = cron.validateDetailed(config.cron);
  if (!check.valid) {
    const why = check.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw new ScheduleConfigError(`CORRIDOR_NIGHTLY_CRON: "${config.cron}" is not a valid cron expression (${why})`);
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: config.timezone });
  } catch {
    throw new ScheduleConfigError(`CORRIDOR_TIMEZONE: "${config.timezone}" is not a known time zone (use e.g. "UTC" or "Asia/Bangkok")`);
  }
}

export function startNightly(config: NightlyConfig, runner: JobRunner, logger: Pick<Logger, 'info' | 'warn' | 'error'>): NightlySchedule {
  const mode = config.mode ?? 'full';
  const trigger = async (): Promise<{ runId: string } | { skipped: string }> => {
    try {
      const { runId } = await runner.start('nightly', mode);
      return { runId };
    } catch (err) {
      if (err instanceof AlreadyRunningError || err instanceof RunnerClosedError) {
        logger.warn({ reason: err.message }, 'nightly ingest skipped: another run holds the lock');
        return { skipped: err.message };
      }
      logger.error({ err }, 'nightly ingest could not start');
      return { skipped: err instanceof Error ? err.message : String(err) };
    }
  };

  if (!config.enabled) {
    logger.info('nightly ingest is disabled (CORRIDOR_NIGHTLY=false)');
    return { enabled: false, nextRun: () => null, trigger, stop: async () => undefined };
  }
  validateNightly(config);
  const task: ScheduledTask = cron.schedule(config.cron, () => trigger(), {
    name: 'corridor-nightly-ingest',
    timezone: config.timezone,
    // The runner's lease already prevents overlap; this only keeps node-cron from stacking calls.
    noOverlap: true,
  });
  logger.info({ cron: config.cron, timezone: config.timezone, mode, next: task.getNextRun()?.toISOString() }, 'nightly ingest scheduled');
  return {
    enabled: true,
    nextRun: () => task.getNextRun(),
    trigger,
    stop: async () => {
      await task.stop();
      await task.destroy();
    },
  };
}
