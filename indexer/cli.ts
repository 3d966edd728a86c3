/**
 * Command-line composition root: `npm run ingest -- <file or folder> …` and friends.
 * Exit codes: 0 done, 1 the run failed (nothing changed), 2 bad usage or configuration.
 */
import { ConfigError, loadConfig } from '../src/config';
import { openBackend } from '../src/backends/open-backend';
import { loadVocabulary } from '../src/search/vocabulary/vocabulary';
import { IngestFailedError, runIngest } from './ingest-job';
import { fileInput, InputPathError, listInputFiles } from './file-inputs';
import { recordPreparer } from './prepare';
import { estimateRecords, formatSummary, progressReporter } from './report';

const USAGE = `usage:
  npm run ingest -- <file or folder> [more …] [--incremental]
      rebuild the index from exactly these inputs (.ndjson, .jsonl, .json, .csv, .tsv)
  npm run corridor -- status      show the live index
  npm run corridor -- rollback    make the previous index generation live again`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  const vocab = loadVocabulary();
  const backend = await openBackend(config, vocab);
  try {
    switch (command) {
      case 'ingest': {
        const incremental = rest.includes('--incremental');
        const paths = rest.filter((a) => !a.startsWith('--'));
        const unknownFlags = rest.filter((a) => a.startsWith('--') && a !== '--incremental');
        if (unknownFlags.length > 0) throw new UsageError(`unknown option ${unknownFlags.join(', ')}`);
        if (paths.length === 0) throw new UsageError('ingest needs at least one file or folder');
        const files = listInputFiles(paths);
        const progress = progressReporter(process.stderr, process.stderr.isTTY ? estimateRecords(files) : 0);
        try {
          const summary = await runIngest({
            inputs: files.map((f) => fileInput(f)),
            admin: backend.admin,
            prepare: recordPreparer(vocab),
            mode: incremental ? 'incremental' : 'full',
            maxRejectRate: config.maxRejectRate,
            maxDropShare: config.maxDropShare,
            onProgress: (p) => progress.update(p),
          });
          progress.stop();
          process.stdout.write(`${formatSummary(summary)}\n`);
          return 0;
        } catch (err) {
          progress.stop();
          if (err instanceof IngestFailedError) {
            process.stderr.write(`${formatSummary(err.summary)}\n`);
            return 1;
          }
          throw err;
        }
      }
      case 'status': {
        process.stdout.write(`${JSON.stringify(await backend.engine.status(), null, 2)}\n`);
        return 0;
      }
      case 'rollback': {
        const done = await backend.admin.rollback();
        process.stdout.write(done ? 'rolled back to the previous generation\n' : 'there is no previous generation to roll back to\n');
        return done ? 0 : 1;
      }
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    }
  } finally {
    await backend.engine.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof InputPathError) {
      process.stderr.write(`error: ${err.message}\n\n${USAGE}\n`);
    } else if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
    } else {
      process.stderr.write(`error: ${(err as Error).message}\n`);
    }
    process.exitCode = 2;
  },
);
