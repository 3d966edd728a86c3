/** A run from the history as text, for `run-sources` and the logs. */
import type { RejectedRecord, RunRecord } from '../src/jobs/run-history';

function seconds(ms: number | undefined): string {
  return ms === undefined ? '?' : `${(ms / 1000).toFixed(1)} s`;
}

export function formatRunRecord(run: RunRecord, rejections: RejectedRecord[] = []): string {
  const c = run.counts;
  const lines = [
    `run ${run.id} (${run.mode}, ${run.trigger}): ${run.outcome} in ${seconds(run.durationMs)}`,
    `  read ${c.read}, indexed ${c.indexed}, rejected ${c.rejected}, removed ${c.deleted}, duplicates merged ${c.duplicates}` +
      (c.documents === undefined ? '; the live index was not changed' : `; the index now holds ${c.documents} documents`),
  ];
  for (const s of run.sources) {
    lines.push(
      `  ${s.source} (${s.kind ?? '?'}): ${s.state}, read ${s.read}, indexed ${s.indexed}, rejected ${s.rejected}, removed ${s.deleted}` +
        (s.error ? `\n      ${s.error}` : ''),
    );
  }
  if (rejections.length > 0) {
    lines.push('  rejected records:');
    for (const r of rejections) {
      lines.push(`    ${r.source}${r.position === undefined ? '' : `:${r.position}`}${r.recordId ? ` [${r.recordId}]` : ''}: ${r.reason}`);
    }
    if (run.rejectionsTotal > rejections.length) lines.push(`    … and ${run.rejectionsTotal - rejections.length} more (see the staff console)`);
  }
  if (run.error) lines.push(`  ${run.outcome === 'cancelled' ? 'CANCELLED' : 'FAILED'}: ${run.error}`);
  return lines.join('\n');
}
