/**
 * The ingest job: records from inputs → validated documents → a new index generation, committed
 * only when the run is good. Bad records never abort a run and are never silently lost: each is
 * reported with its source, position and reason. The run fails (committing nothing) only when the
 * share of rejected records passes the configured limit, or the engine refuses the commit.
 */
import type { IndexAdmin, WriterOptions } from '../src/search/ports';
import type { ResourceDocument } from '../src/search/types';
import { idOf, MAX_REPORTED, newRunId, noteTags, rejectRateExceeded, rejectRateMessage } from './run-common';
import { countFields, duplicateIdMessage, newFieldCounts, RunIds } from './run-tallies';

export { newRunId } from './run-common';

export type RecordItem =
  | { source: string; position: number; raw: unknown }
  | { source: string; position: number; error: string }
  /** About the input, not one record (bytes replaced …): shown with the run's warnings. */
  | { source: string; position: number; warning: string };

export interface IngestInput {
  /** Shown in reports: a file path, a source id. */
  name: string;
  read(): AsyncIterable<RecordItem>;
}

export type PreparedRecord =
  | { ok: true; document: ResourceDocument; unknownFields: string[]; warnings: string[] }
  | { ok: false; reason: string };

export type RecordPreparer = (raw: unknown, source: string) => PreparedRecord;

export interface Rejection {
  source: string;
  position: number;
  id?: string;
  reason: string;
}

export interface IngestProgress {
  source: string;
  read: number;
  written: number;
  rejected: number;
}

export interface IngestSummary {
  runId: string;
  mode: WriterOptions['mode'];
  read: number;
  written: number;
  rejected: number;
  /** Documents in the index after commit (0 when nothing was committed). */
  indexed: number;
  /** Records to which the analysers added at least one country, region or theme. */
  tagged: { countries: number; regions: number; themes: number };
  /** Field name → how many records carried it; such fields are ignored. */
  unknownFields: Record<string, number>;
  rejections: Rejection[];
  warnings: string[];
  committed: boolean;
  generation?: string;
  durationMs: number;
  failure?: string;
}

export class IngestFailedError extends Error {
  constructor(
    message: string,
    readonly summary: IngestSummary,
  ) {
    super(message);
    this.name = 'IngestFailedError';
  }
}

export interface IngestOptions {
  inputs: IngestInput[];
  admin: IndexAdmin;
  prepare: RecordPreparer;
  mode?: WriterOptions['mode'];
  runId?: string;
  maxRejectRate: number;
  maxDropShare: number;
  batchSize?: number;
  onProgress?: (progress: IngestProgress) => void;
  /** Aborting discards the new generation; the live index is untouched. */
  signal?: AbortSignal;
}

const PROGRESS_EVERY = 1000;

export async function runIngest(options: IngestOptions): Promise<IngestSummary> {
  const started = Date.now();
  const summary: IngestSummary = {
    runId: options.runId ?? newRunId(),
    mode: options.mode ?? 'full',
    read: 0,
    written: 0,
    rejected: 0,
    indexed: 0,
    tagged: { countries: 0, regions: 0, themes: 0 },
    unknownFields: newFieldCounts(),
    rejections: [],
    warnings: [],
    committed: false,
    durationMs: 0,
  };
  const batchSize = options.batchSize ?? 1000;
  const ids = new RunIds();
  const writer = await options.admin.openWriter({ mode: summary.mode });
  const fail = async (message: string): Promise<never> => {
    await writer.abort();
    summary.failure = message;
    summary.durationMs = Date.now() - started;
    throw new IngestFailedError(message, summary);
  };

  try {
    for (const input of options.inputs) {
      let batch: ResourceDocument[] = [];
      const report = () =>
        options.onProgress?.({ source: input.name, read: summary.read, written: summary.written, rejected: summary.rejected });
      for await (const item of input.read()) {
        if (options.signal?.aborted) await fail('the run was cancelled');
        if ('warning' in item) {
          if (summary.warnings.length < MAX_REPORTED) summary.warnings.push(`${item.source}: ${item.warning}`);
          continue;
        }
        summary.read++;
        if ('error' in item) {
          reject(summary, { source: item.source, position: item.position, reason: item.error });
        } else {
          const prepared = options.prepare(item.raw, item.source);
          if (!prepared.ok) {
            reject(summary, { source: item.source, position: item.position, id: idOf(item.raw), reason: prepared.reason });
          } else {
            batch.push(prepared.document);
            noteTags(summary.tagged, prepared.document);
            countFields(summary.unknownFields, prepared.unknownFields);
            const place = { source: item.source, position: item.position };
            const earlier = ids.see(prepared.document.id, place);
            if (earlier !== undefined && summary.warnings.length < MAX_REPORTED) {
              summary.warnings.push(duplicateIdMessage(prepared.document.id, earlier, place));
            }
            for (const warning of prepared.warnings) {
              if (summary.warnings.length < MAX_REPORTED) summary.warnings.push(`${item.source}:${item.position}: ${warning}`);
            }
          }
        }
        if (batch.length >= batchSize) {
          await writer.write(batch);
          summary.written += batch.length;
          batch = [];
        }
        if (summary.read % PROGRESS_EVERY === 0) report();
      }
      if (batch.length > 0) {
        await writer.write(batch);
        summary.written += batch.length;
      }
      report();
    }

    if (options.signal?.aborted) await fail('the run was cancelled');
    if (rejectRateExceeded(summary.rejected, summary.read, options.maxRejectRate)) {
      await fail(rejectRateMessage(summary.rejected, summary.read, options.maxRejectRate));
    }
    const result = await writer.commit({ runId: summary.runId, maxDropShare: options.maxDropShare });
    summary.indexed = result.documents;
    summary.generation = result.generation;
    summary.committed = true;
  } catch (err) {
    if (err instanceof IngestFailedError) throw err;
    await writer.abort();
    summary.failure = (err as Error).message;
    summary.durationMs = Date.now() - started;
    throw new IngestFailedError(summary.failure, summary);
  }
  summary.durationMs = Date.now() - started;
  return summary;
}

function reject(summary: IngestSummary, rejection: Rejection): void {
  summary.rejected++;
  if (summary.rejections.length < MAX_REPORTED) summary.rejections.push(rejection);
}
