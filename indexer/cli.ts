/**
 * Command-line composition root: `npm run ingest -- <file or folder> …` and friends.
 * Exit codes: 0 done, 1 the run failed (nothing changed), 2 bad usage or configuration,
 * 3 another ingest run holds the lock (the web process's console or nightly job, another CLI).
 *
 * `ingest` and `run-sources` take the same lease as the staff console and the nightly job, and
 * are recorded in the same run history (trigger "cli").
 */
import { ConfigError, loadConfig } from '../src/config';
import { openBackend } from '../src/backends/open-backend';
import { AlreadyRunningError, type JobRunner } from '../src/jobs/job-runner';
import { INGEST_LOCK } from '../src/jobs/lease';
import type { RunRecord } from '../src/jobs/run-history';
import { loadVocabulary } from '../src/search/vocabulary/vocabulary';
import type { IngestSummary } from './ingest-job';
import { fileInput, InputPathError, listInputFiles } from './file-inputs';
import { hashPasswordCommand, PasswordInputError } from './hash-password';
import { openOperations } from './operations';
import { exportCommand } from './export';
import { recordPreparer } from './prepare';
import { estimateRecords, formatSummary, progressReporter } from './report';
import { formatRunRecord } from './run-report';
import { fileIngestJob } from './run-jobs';

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

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Needs no configuration: it is how the configuration's staff accounts are made.
  if (command === 'hash-password') return hashPasswordCommand(rest);
  const config = loadConfig();
  const vocab = loadVocabulary();
  const backend = await openBackend(config, vocab);
  const ops = openOperations(config, backend, vocab);
  try {
    switch (command) {
      case 'ingest': {
        const mode = modeFlag(command, rest);
        const paths = rest.filter((a) => !a.startsWith('--'));
        if (paths.length === 0) throw new UsageError('ingest needs at least one file or folder');
        const files = await listInputFiles(paths);
        const progress = progressReporter(process.stderr, process.stderr.isTTY ? estimateRecords(files) : 0);
        let summary: IngestSummary | undefined;
        const runner = ops.runner(
          fileIngestJob({
            inputs: files.map((f) => fileInput(f)),
            admin: backend.admin,
            prepare: recordPreparer(vocab),
            maxRejectRate: config.maxRejectRate,
            maxDropShare: config.maxDropShare,
            onProgress: (p) => progress.update(p),
            onSummary: (s) => (summary = s),
          }),
        );
        const result = await runLocked(runner, mode);
        progress.stop();
        const code = exitCode(result);
        if (summary) (code === 0 ? process.stdout : process.stderr).write(`${formatSummary(summary)}\n`);
        if (result !== 'already-running' && result.outcome === 'cancelled') process.stderr.write(`${result.error ?? 'cancelled'}\n`);
        return code;
      }
      case 'run-sources': {
        const mode = modeFlag(command, rest);
        const result = await runLocked(ops.runner(ops.harvest), mode);
        if (result !== 'already-running') {
          const code = exitCode(result);
          (code === 0 ? process.stdout : process.stderr).write(`${formatRunRecord(result, ops.history.rejections(result.id, { limit: 20 }))}\n`);
        }
        return exitCode(result);
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
        const lock = await ops.leases.acquire(INGEST_LOCK, holder, config.lockTtlMs, 'cli rollback');
        if (!lock.acquired) {
          process.stderr.write(`error: ${new AlreadyRunningError(lock.current).message}\n`);
          return EXIT_ALREADY_RUNNING;
        }
        try {
          const done = await backend.admin.rollback();
          process.stdout.write(done ? 'rolled back to the previous generation\n' : 'there is no previous generation to roll back to\n');
          return done ? 0 : 1;
        } finally {
          await ops.leases.release(INGEST_LOCK, holder);
        }
      }
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    }
  } finally {
    await ops.close();
    await backend.engine.close();
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
