/**
 * Command-line composition root: `npm run ingest -- <file or folder> …` and friends.
 * Exit codes: 0 done, 1 the run failed (nothing changed), 2 bad usage or configuration,
 * 3 another ingest run holds the lock (the web process's console or nightly job, another CLI).
 *
 * `ingest` and `run-sources` are runs of the one ingest pipeline (over the given files, or the
 * sources file), take the same lease as the staff console and the nightly job, and are recorded
 * in the same run history (trigger "cli"). `ingest-worker` is the web process's ingest process.
 */
import { ConfigError, loadConfig } from '../src/config';
import { openBackend } from '../src/backends/open-backend';
import { serveChildJob } from '../src/jobs/child-job';
import { AlreadyRunningError, type JobRunner } from '../src/jobs/job-runner';
import { INGEST_LOCK } from '../src/jobs/lease';
import type { RunRecord } from '../src/jobs/run-history';
import { loadVocabulary } from '../src/search/vocabulary/vocabulary';
import { fileSources, InputPathError } from './file-inputs';
import { hashPasswordCommand, PasswordInputError } from './hash-password';
import { inProcessIngestJob, jobRunner } from './operations';
import { exportCommand } from './export';
import { estimateRecords, formatRunRecord, progressReporter } from './report';
import type { RunRequest } from './run-jobs';

const USAGE = `usage:
  npm run ingest -- <file or folder> [more …] [--incremental]
      rebuild the index from exactly these inputs (.ndjson, .jsonl, .json, .csv, .tsv)
  npm run corridor -- run-sources [--incremental]
      harvest every source of the sources file (CORRIDOR_SOURCES_FILE), for external schedulers
  npm run corridor -- status      show the live index
  npm run corridor -- export [file.ndjson]
      write the live index as NDJSON records (to stdout without a file), e.g. to move it to
      another engine: CORRIDOR_ENGINE=elasticsearch npm run ingest -- file.ndjson
  npm run corridor -- rollback    make the previous index generation live again
  npm run corridor -- hash-password [--name <name>]
      read a password (hidden on a terminal, or the first line of a pipe) and print its hash
      for CORRIDOR_STAFF_ACCOUNTS

exit codes: 0 done, 1 the run failed (the live index was kept), 2 bad usage or configuration,
3 another ingest run is in progress (also for rollback), 130 / 143 stopped by Ctrl-C / SIGTERM
(the run was cancelled: nothing committed, the lock released)`;

class UsageError extends Error {}

const EXIT_ALREADY_RUNNING = 3;

function modeFlag(command: string, rest: string[]): 'full' | 'incremental' {
  const unknownFlags = rest.filter((a) => a.startsWith('--') && a !== '--incremental');
  if (unknownFlags.length > 0) throw new UsageError(`unknown option ${unknownFlags.join(', ')}`);
  if (command === 'run-sources' && rest.some((a) => !a.startsWith('--'))) throw new UsageError('run-sources takes no file names');
  return rest.includes('--incremental') ? 'incremental' : 'full';
}

/**
 * Runs a job under the shared lock and waits for it. SIGINT/SIGTERM abort it cleanly: nothing
 * is committed, the lock is released, and the history says "cancelled".
 */
/** Set by the first SIGINT/SIGTERM: the exit status is then 128 + the signal's number. */
let stoppedBy: NodeJS.Signals | undefined;
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

async function runLocked(runner: JobRunner, mode: 'full' | 'incremental'): Promise<RunRecord | 'already-running'> {
  const stop = (signal: NodeJS.Signals) => {
    stoppedBy ??= signal;
    process.stderr.write('\nstopping: the run is being cancelled; the live index is kept\n');
    void runner.shutdown('the command was interrupted, so the run was stopped; nothing was committed');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await runner.run('cli', mode);
  } catch (err) {
    if (!(err instanceof AlreadyRunningError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return 'already-running';
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}

function exitCode(result: RunRecord | 'already-running'): number {
  if (result === 'already-running') return EXIT_ALREADY_RUNNING;
  if (result.outcome === 'cancelled' && stoppedBy !== undefined) return SIGNAL_EXIT[stoppedBy] ?? 1;
  return result.outcome === 'succeeded' || result.outcome === 'partial' ? 0 : 1;
}

const SHOWN_REJECTIONS = 20;

/** The run's summary from the history (with its first rejected records), on stdout when it committed. */
async function report(backend: ReturnType<typeof openBackend>, result: RunRecord | 'already-running'): Promise<number> {
  const code = exitCode(result);
  if (result === 'already-running') return code;
  const rejections = await backend.history.rejections(result.id, { limit: SHOWN_REJECTIONS }).catch(() => []);
  (code === 0 ? process.stdout : process.stderr).write(`${formatRunRecord(result, rejections)}\n`);
  return code;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Needs no configuration: it is how the configuration's staff accounts are made.
  if (command === 'hash-password') return hashPasswordCommand(rest);
  const config = loadConfig();
  const vocab = loadVocabulary();
  const backend = openBackend(config, vocab);
  try {
    switch (command) {
      case 'ingest': {
        const mode = modeFlag(command, rest);
        const paths = rest.filter((a) => !a.startsWith('--'));
        if (paths.length === 0) throw new UsageError('ingest needs at least one file or folder');
        // Each file is a source: its records are reported, and later replaced or removed, by its name.
        const request: RunRequest = { sources: await fileSources(paths), scope: 'inputs' };
        const files = request.sources.map((s) => s.location);
        const progress = progressReporter(process.stderr, process.stderr.isTTY ? estimateRecords(files) : 0);
        const runner = jobRunner(config, backend, inProcessIngestJob(config, backend, vocab, request, (p) => progress.update(p)));
        const result = await runLocked(runner, mode);
        progress.stop();
        return report(backend, result);
      }
      case 'run-sources': {
        const mode = modeFlag(command, rest);
        const runner = jobRunner(config, backend, inProcessIngestJob(config, backend, vocab, { sourcesFile: config.sourcesFile }));
        return report(backend, await runLocked(runner, mode));
      }
      case 'ingest-worker': {
        // Started by the web process (src/main.ts) with an IPC channel: the run it asks for, here.
        await serveChildJob((request) => inProcessIngestJob(config, backend, vocab, request as RunRequest));
        return 0;
      }
      case 'status': {
        process.stdout.write(`${JSON.stringify(await backend.engine.status(), null, 2)}\n`);
        return 0;
      }
      case 'export': {
        // The live index as NDJSON records (docs/elasticsearch.md: migrating between engines).
        if (rest.length > 1 || rest.some((a) => a.startsWith('--'))) throw new UsageError('export takes at most one file name');
        const count = await exportCommand(backend.engine, rest[0]);
        process.stderr.write(`exported ${count} records${rest[0] ? ` to ${rest[0]}` : ''}\n`);
        return 0;
      }
      case 'rollback': {
        // Under the ingest lock: a run committing right after would silently undo the rollback.
        const holder = `cli-rollback:${process.pid}:${Date.now()}`;
        const lock = await backend.leases.acquire(INGEST_LOCK, holder, config.lockTtlMs, 'cli rollback');
        if (!lock.acquired) {
          process.stderr.write(`error: ${new AlreadyRunningError(lock.current).message}\n`);
          return EXIT_ALREADY_RUNNING;
        }
        try {
          const done = await backend.admin.rollback();
          process.stdout.write(done ? 'rolled back to the previous generation\n' : 'there is no previous generation to roll back to\n');
          return done ? 0 : 1;
        } finally {
          await backend.leases.release(INGEST_LOCK, holder);
        }
      }
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    }
  } finally {
    await backend.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof PasswordInputError) {
      process.stderr.write(`error: ${err.message}\n`);
    } else if (err instanceof UsageError || err instanceof InputPathError) {
      process.stderr.write(`error: ${err.message}\n\n${USAGE}\n`);
    } else if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
    } else {
      process.stderr.write(`error: ${(err as Error).message}\n`);
    }
    process.exitCode = 2;
  },
);
