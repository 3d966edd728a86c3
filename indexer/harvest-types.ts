/** What a harvest is given, reports while it runs, and returns (see harvest.ts). */
import type { IndexAdmin } from '../src/search/ports';
import type { RecordPreparer, Rejection } from './ingest-job';
import type { TagCounts } from './run-common';
import type { SourceConfig, SourceKind } from './sources/config';
import type { DuplicateReason, RecordOwner } from './sources/dedupe';
import type { Source } from './sources/types';

export type HarvestMode = 'full' | 'incremental';
export type HarvestOutcome = 'succeeded' | 'partial' | 'failed' | 'cancelled';
/**
 * pending/running: during the run. disabled: `enabled: false` in the sources file. not-run: the
 * run ended (failed or was cancelled) before reaching it. cancelled: it was being read when the
 * run was cancelled.
 */
export type SourceRunStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'disabled' | 'not-run' | 'cancelled';

export interface SourceRunCounts {
  /** Records and unreadable items the source delivered. */
  read: number;
  /** Documents written from this source (added or updated). */
  indexed: number;
  rejected: number;
  /** Its records removed from the index: reported deleted, or (full runs) no longer listed. */
  deleted: number;
  /** Its records that duplicated one of an earlier source and were merged into it. */
  duplicates: number;
}

export interface SourceRunSummary extends SourceRunCounts {
  id: string;
  kind: SourceKind;
  label?: string;
  status: SourceRunStatus;
  /** Why the source failed, starting with its id: "ilo-feed: GET https://… failed after 3 attempts: …". */
  error?: string;
  durationMs: number;
  /** The date changes were asked from (incremental runs). */
  since?: string;
  /** The source was not read to its end (a page limit), so nothing of it was removed. */
  incomplete?: boolean;
}

export interface HarvestRejection extends Rejection {
  /** The file or page URL the record came from. */
  location?: string;
}

export interface DuplicateMerge {
  source: string;
  id: string;
  reason: DuplicateReason;
  /** The record kept: the first one seen, from a source listed earlier. */
  keptAs: RecordOwner;
}

export interface HarvestTotals {
  read: number;
  written: number;
  rejected: number;
  deleted: number;
  duplicates: number;
}

export interface HarvestSummary extends HarvestTotals {
  runId: string;
  mode: HarvestMode;
  /** ISO date-times. */
  started: string;
  finished: string;
  durationMs: number;
  outcome: HarvestOutcome;
  /** Why the run failed or was cancelled; the live index was kept. */
  failure?: string;
  committed: boolean;
  generation?: string;
  /** Documents in the index after commit (0 when nothing was committed). */
  indexed: number;
  sources: SourceRunSummary[];
  /** Capped at 1000; `duplicates` counts them all. */
  merges: DuplicateMerge[];
  /** Capped at 1000; `rejected` counts them all. */
  rejections: HarvestRejection[];
  /** Records to which the analysers added at least one country, region or theme. */
  tagged: TagCounts;
  /** Field name → how many records carried it; such fields are ignored. */
  unknownFields: Record<string, number>;
  warnings: string[];
}

export interface HarvestProgress {
  runId: string;
  mode: HarvestMode;
  phase: 'harvesting' | 'committing' | 'finished';
  started: string;
  elapsedMs: number;
  /** The source being read. */
  current?: string;
  /** Every configured source; durationMs grows while a source runs. */
  sources: SourceRunSummary[];
  totals: HarvestTotals;
}

export interface HarvestOptions {
  sources: SourceConfig[];
  admin: IndexAdmin;
  /** recordPreparer(vocab): the harvest sets each document's `source` to its source's id. */
  prepare: RecordPreparer;
  mode: HarvestMode;
  /** Source id → ISO date (or date-time) of its last successful harvest; incremental runs only. */
  since?: Record<string, string>;
  maxRejectRate: number;
  maxDropShare: number;
  /** Aborting discards the new generation; the live index is untouched. */
  signal?: AbortSignal;
  /**
   * Called at every change of source or phase, at most every 200 ms while records flow, and at
   * least every second while a source is being read (elapsed time moves during slow requests).
   */
  onProgress?: (progress: HarvestProgress) => void;
  runId?: string;
  batchSize?: number;
  /**
   * Ids of sources harvested before (the run history knows them). In a full run, the records of
   * those no longer in `sources` (removed from the file or renamed) are removed. Sources still
   * listed, even disabled ones, are never touched by this.
   */
  retiredSources?: string[];
  /** Tests replace the readers; the default is the reader of each source's kind. */
  openSource?: (config: SourceConfig) => Source;
}
