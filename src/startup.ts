/**
 * Start-up of the web process against an engine that may not be ready: a cluster still starting
 * is waited for (bounded retries with doubling delays, each logged); one that refuses us (wrong
 * credentials, missing privileges) is not, since waiting will not fix it. Failures become a
 * StartupError: a few lines saying what is wrong and what to do, printed without a stack trace.
 */
import type { Logger } from './logger';
import type { SearchEngine } from './search/ports';

export class StartupError extends Error {
  constructor(
    message: string,
    /** What the operator can do about it. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

export interface EngineWait {
  /** Further attempts after the first one. */
  retries: number;
  /** First delay; doubled after each attempt, up to maxDelayMs. */
  delayMs: number;
  maxDelayMs?: number;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_DELAY_MS = 30_000;

interface EngineFailure {
  name?: unknown;
  message?: unknown;
  misconfiguration?: unknown;
}

/** Resolves when the engine answers; throws StartupError when it does not within the retries. */
export async function waitForEngine(engine: SearchEngine, options: EngineWait): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const attempts = options.retries + 1;
  for (let attempt = 1; ; attempt++) {
    try {
      await engine.status();
      return;
    } catch (err) {
      const failure = (err ?? {}) as EngineFailure;
      if (failure.name !== 'EngineUnavailableError') throw err;
      const reason = String(failure.message);
      if (failure.misconfiguration === true) throw new StartupError(reason);
      if (attempt >= attempts) {
        throw new StartupError(
          `${reason} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`,
          `Is it running, and are CORRIDOR_ES_URL / CORRIDOR_ES_NODES right? A cluster that takes longer to start can be given more time with CORRIDOR_ES_STARTUP_RETRIES.`,
        );
      }
      const delay = Math.min(options.maxDelayMs ?? MAX_DELAY_MS, options.delayMs * 2 ** (attempt - 1));
      options.logger.warn(
        { attempt, attempts, delayMs: delay, reason },
        `Elasticsearch is not available yet (${reason}); retrying in ${delay} ms (attempt ${attempt} of ${attempts})`,
      );
      await sleep(delay);
    }
  }
}

/** A start-up failure as the few lines an operator reads: never a stack trace. */
export function describeStartupFailure(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  const text = typeof message === 'string' && message !== '' ? message : String(err);
  const hint = err instanceof StartupError ? err.hint : undefined;
  return `error: Corridor could not start: ${text}\n${hint ? `${hint}\n` : ''}`;
}
