/** "Did you mean": the most frequent indexed word within a small edit distance. Pure. */

export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      // Adjacent transposition ("labuor" → "labour") counts as one edit.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2] + 1);
      cur[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Candidates are (word, document frequency). A word that is itself common needs no suggestion;
 * otherwise the closest, then most frequent, word wins.
 */
export function closestWords(word: string, candidates: [string, number][], limit: number): string[] {
  const own = candidates.find(([w]) => w === word)?.[1] ?? 0;
  const max = word.length <= 4 ? 1 : 2;
  return candidates
    .filter(([w, df]) => w !== word && df > Math.max(own * 2, 1))
    .map(([w, df]) => ({ w, df, d: editDistance(word, w, max) }))
    .filter((c) => c.d <= max)
    .sort((a, b) => a.d - b.d || b.df - a.df)
    .slice(0, limit)
    .map((c) => c.w);
}
