/** Numbers and counts as the pages write them. Pure. */

const numberFormat = new Intl.NumberFormat('en');

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** "1 result", "1,234 results". */
export function resultsText(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'result' : 'results'}`;
}
