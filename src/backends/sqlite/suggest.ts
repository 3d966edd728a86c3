/** "Did you mean": the most frequent indexed word within a small edit distance. Pure. */
import { editDistance, maxEdits } from '../../search/spelling';

/**
 * Candidates are (word, document frequency). A word that is itself common needs no suggestion;
 * otherwise the closest, then most frequent, word wins.
 */
export function closestWords(word: string, candidates: [string, number][], limit: number): string[] {
  const own = candidates.find(([w]) => w === word)?.[1] ?? 0;
  const max = maxEdits(word);
  return candidates
    .filter(([w, df]) => w !== word && df > Math.max(own * 2, 1))
    .map(([w, df]) => ({ w, df, d: editDistance(word, w, max) }))
    .filter((c) => c.d <= max)
    .sort((a, b) => a.d - b.d || b.df - a.df)
    .slice(0, limit)
    .map((c) => c.w);
}
