/** Human-readable run summaries and progress, for the CLI and the logs. */
import fs from 'node:fs';
import cliProgress from 'cli-progress';
import type { IngestProgress, IngestSummary } from './ingest-job';

const SHOWN_REJECTIONS = 20;

export function formatSummary(summary: IngestSummary): string {
  const lines = [
    `run ${summary.runId} (${summary.mode}): ${summary.committed ? 'committed' : 'NOT committed'} in ${(summary.durationMs / 1000).toFixed(1)} s`,
    `  read ${summary.read}, written ${summary.written}, rejected ${summary.rejected}, index now holds ${summary.indexed} documents`,
    `  tagged by analysis: ${summary.tagged.countries} with countries, ${summary.tagged.regions} with regions, ${summary.tagged.themes} with themes`,
  ];
  const unknown = Object.entries(summary.unknownFields);
  if (unknown.length > 0) {
    lines.push(`  ignored unknown fields: ${unknown.map(([f, n]) => `${f} (${n} records)`).join(', ')}`);
  }
  if (summary.rejections.length > 0) {
    lines.push('  rejected records:');
    for (const r of summary.rejections.slice(0, SHOWN_REJECTIONS)) {
      lines.push(`    ${r.source}:${r.position}${r.id ? ` [${r.id}]` : ''}: ${r.reason}`);
    }
    const more = summary.rejected - Math.min(summary.rejected, SHOWN_REJECTIONS);
    if (more > 0) lines.push(`    … and ${more} more`);
  }
  if (summary.warnings.length > 0) lines.push(`  ${summary.warnings.length} warnings, e.g. ${summary.warnings[0]}`);
  if (summary.failure) lines.push(`  FAILED: ${summary.failure}`);
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
  update(progress: IngestProgress): void;
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
        if (p.read > bar.getTotal()) bar.setTotal(p.read);
        bar.update(p.read, { rejected: p.rejected, source: p.source });
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last < 2000) return;
      last = now;
      stream.write(`progress: ${p.read} read, ${p.written} written, ${p.rejected} rejected (${p.source})\n`);
    },
    stop: () => undefined,
  };
}
