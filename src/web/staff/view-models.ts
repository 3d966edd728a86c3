/**
 * Pure functions from run records and live runs to what the staff templates and the staff JSON
 * API show: labels for triggers and outcomes, durations, dates in the configured time zone.
 */
import type { LiveRun } from '../../jobs/job-runner';
import type { RunCounts, RunMode, RunOutcome, RunRecord, SourceStats } from '../../jobs/run-history';

const numberFormat = new Intl.NumberFormat('en');
export function formatCount(n: number | undefined): string {
  return n === undefined ? '–' : numberFormat.format(n);
}

/** "nightly" → "Nightly schedule", "staff:amina" → "amina (staff)", "cli" → "Command line". */
export function triggerLabel(trigger: string): string {
  if (trigger === 'nightly') return 'Nightly schedule';
  if (trigger === 'cli') return 'Command line';
  if (trigger === 'startup') return 'First start (sample data)';
  if (trigger.startsWith('staff:')) return `${trigger.slice('staff:'.length)} (staff)`;
  return trigger;
}

export const OUTCOME_LABELS: Record<RunOutcome, string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  partial: 'Partly succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export const MODE_LABELS: Record<RunMode, string> = {
  full: 'Full reindex',
  incremental: 'Changes only',
};

export const SOURCE_STATE_LABELS: Record<SourceStats['state'], string> = {
  pending: 'Waiting',
  running: 'Reading',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Stopped',
  'not-run': 'Not reached',
  disabled: 'Disabled',
  retired: 'No longer configured',
};

/** "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const totalS = Math.round(s);
  const m = Math.floor(totalS / 60);
  if (m < 60) return `${m} min ${String(totalS % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export interface DateFormatter {
  (date: Date | undefined): string;
  timeZone: string;
}

/** Dates as staff read them: in the configured time zone (the nightly schedule's), named. */
export function dateFormatter(timeZone: string): DateFormatter {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  });
  const fn = ((date: Date | undefined) => (date ? format.format(date) : '–')) as DateFormatter;
  fn.timeZone = timeZone;
  return fn;
}

export interface LiveRunJson {
  id: string;
  trigger: string;
  triggerLabel: string;
  mode: string;
  modeLabel: string;
  startedAt: string;
  /** startedAt in the staff time zone, as the pages show it. */
  startedAtLabel: string;
  elapsedMs: number;
  elapsed: string;
  counts: RunCounts;
  sources: (SourceStats & { stateLabel: string })[];
  /** false when another process (the CLI) runs it: figures are at most a few seconds old. */
  local: boolean;
  url: string | null;
}

export interface RunSummaryJson {
  id: string;
  trigger: string;
  triggerLabel: string;
  mode: string;
  outcome: RunOutcome;
  outcomeLabel: string;
  startedAt: string;
  finishedAt: string | null;
  finishedAtLabel: string;
  durationMs: number | null;
  duration: string;
  counts: RunCounts;
  rejectionsTotal: number;
  error: string | null;
  url: string;
  sources: (SourceStats & { stateLabel: string })[];
}

export function runUrl(id: string): string {
  return `/staff/runs/${encodeURIComponent(id)}`;
}

const isoDates = ((d: Date | undefined) => (d ? d.toISOString() : '–')) as DateFormatter;
isoDates.timeZone = 'UTC';

export function liveRunJson(run: LiveRun, formatDate: DateFormatter = isoDates): LiveRunJson {
  return {
    id: run.runId,
    trigger: run.trigger,
    triggerLabel: triggerLabel(run.trigger),
    mode: run.mode,
    modeLabel: MODE_LABELS[run.mode],
    startedAt: run.startedAt.toISOString(),
    startedAtLabel: formatDate(run.startedAt),
    elapsedMs: run.elapsedMs,
    elapsed: formatDuration(run.elapsedMs),
    counts: run.counts,
    sources: run.sources.map((s) => ({ ...s, stateLabel: SOURCE_STATE_LABELS[s.state] })),
    local: run.local,
    url: run.runId ? runUrl(run.runId) : null,
  };
}

export function runSummaryJson(run: RunRecord, formatDate: DateFormatter = isoDates): RunSummaryJson {
  return {
    id: run.id,
    trigger: run.trigger,
    triggerLabel: triggerLabel(run.trigger),
    mode: run.mode,
    outcome: run.outcome,
    outcomeLabel: OUTCOME_LABELS[run.outcome],
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    finishedAtLabel: formatDate(run.finishedAt),
    durationMs: run.durationMs ?? null,
    duration: formatDuration(run.durationMs),
    counts: run.counts,
    rejectionsTotal: run.rejectionsTotal,
    error: run.error ?? null,
    url: runUrl(run.id),
    sources: run.sources.map((s) => ({ ...s, stateLabel: SOURCE_STATE_LABELS[s.state] })),
  };
}

/** The formatting helpers every staff template gets. */
export function templateHelpers(timeZone: string) {
  return {
    formatCount,
    formatDuration,
    formatDate: dateFormatter(timeZone),
    triggerLabel,
    outcomeLabels: OUTCOME_LABELS,
    modeLabels: MODE_LABELS,
    sourceStateLabels: SOURCE_STATE_LABELS,
    runUrl,
  };
}
