/** A run as text for the CLI and the logs, and its progress on a terminal or in a log. */
import fs from 'node:fs';
import cliProgress from 'cli-progress';
import { COMMITTED_OUTCOMES, type RejectedRecord, type RunRecord } from '../src/jobs/run-history';
import type { RunProgress } from './pipeline';

/** Notes (warnings, merges, ignored fields) printed; the staff console has them all. */
const SHOWN_NOTES = 10;

function seconds(ms: number | undefined): string {
  return ms === undefined ? '?' : `${(ms / 1000).toFixed(1)} s`;
}

function where(r: RejectedRecord): string {
  return `${r.location ?? r.source}${r.position === undefined ? '' : `:${r.position}`}`;
}

/** `rejections`: the first rejected records, from the history (with their location and reason). */
export function formatRunRecord(run: RunRecord, rejections: RejectedRecord[] = []): string {
  const c = run.counts;
  const committed = COMMITTED_OUTCOMES.includes(run.outcome);
  const index =
    c.documents === undefined ? (committed ? '' : '; the live index was kept')
    : committed ? `; the index now holds ${c.documents} documents`
    : `; the live index was kept (${c.documents} documents)`;
  const lines = [
    `run ${run.id} (${run.mode}, ${run.trigger}): ${run.outcome} in ${seconds(run.durationMs)}`,
    `  read ${c.read}, indexed ${c.indexed}, rejected ${c.rejected}, removed ${c.deleted}, duplicates merged ${c.duplicates}` +
      (c.carried ? `, kept unchanged ${c.carried}` : '') +
      index,
  ];
  if (c.tagged) {
    lines.push(`  tagged by analysis: ${c.tagged.countries} with countries, ${c.tagged.regions} with regions, ${c.tagged.themes} with themes`);
  }
  for (const s of run.sources) {
    lines.push(
      `  ${s.source}${s.kind ? ` (${s.kind})` : ''}: ${s.state}, read ${s.read}, indexed ${s.indexed}, rejected ${s.rejected}, removed ${s.deleted}` +
        (s.carried ? `, kept unchanged ${s.carried}` : '') +
        (s.error ? `\n      ${s.error}` : ''),
    );
  }
  if (run.notes.length > 0) {
    lines.push('  notes:');
    for (const note of run.notes.slice(0, SHOWN_NOTES)) lines.push(`    ${note}`);
    if (run.notes.length > SHOWN_NOTES) lines.push(`    … and ${run.notes.length - SHOWN_NOTES} more (see the staff console)`);
  }
  if (rejections.length > 0) {
    lines.push('  rejected records:');
    for (const r of rejections) lines.push(`    ${where(r)}${r.recordId ? ` [${r.recordId}]` : ''}: ${r.reason}`);
    if (run.rejectionsTotal > rejections.length) lines.push(`    … and ${run.rejectionsTotal - rejections.length} more (see the staff console)`);
  }
  if (run.error) lines.push(`  ${run.outcome === 'cancelled' ? 'CANCELLED' : 'FAILED'}: ${run.error}`);
  return lines.join('\n');
}

/** Counts lines of the files, to give the progress bar a total (records ≈ lines). */
export function estimateRecords(files: string[]): number {
  let lines = 0;
  for (const file of files) {
    const fd = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(1 << 20);
    let n: number;
    while ((n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0) {
      for (let i = 0; i < n; i++) if (buffer[i] === 10) lines++;
    }
    fs.closeSync(fd);
  }
  return lines;
}

export interface ProgressReporter {
  update(progress: RunProgress): void;
  stop(): void;
}

/** A bar on a terminal; plain lines (at most every few seconds) when output goes to a log. */
export function progressReporter(stream: NodeJS.WriteStream, estimatedTotal: number): ProgressReporter {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: ' {bar} {value}/{total} records | {rejected} rejected | {source}', stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(estimatedTotal, 1), 0, { rejected: 0, source: '' });
    return {
      update: (p) => {
        if (p.counts.read > bar.getTotal()) bar.setTotal(p.counts.read);
        bar.update(p.counts.read, { rejected: p.counts.rejected, source: p.current ?? p.phase });
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last < 2000 && p.phase === 'reading') return;
      last = now;
      stream.write(`progress: ${p.counts.read} read, ${p.counts.indexed} indexed, ${p.counts.rejected} rejected (${p.current ?? p.phase})\n`);
    },
    stop: () => undefined,
  };
}
