/**
 * "Did you mean": the words of a query that look misspelt, each replaced by the closest place
 * name of the vocabulary ("Philipines" → "Philippines") or, failing that, the closest frequent
 * word of the index — whole words only, in the visitor's own capitalisation, and never an
 * acronym ("HRW" is not "how"). Pure apart from the lookups it is given.
 */
import { parseQuery } from './query-parser';
import { COMMON_TITLE_WORDS } from './vocabulary/common-words';
import { foldToken } from './vocabulary/text';

/** Damerau–Levenshtein distance, giving up (max + 1) as soon as it exceeds `max`. */
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

/** Edits allowed for a word of this length: short words have many close neighbours. */
export function maxEdits(word: string): number {
  return word.length <= 4 ? 1 : 2;
}

/** All capitals, letters and digits only: an acronym or an initialism, never "corrected". */
export function isAcronym(typed: string): boolean {
  return /^[\p{Lu}\p{N}]+$/u.test(typed) && /\p{Lu}/u.test(typed) && typed.length <= 6;
}

/** The suggestion written as the visitor wrote the word: "philipines" → "philippines", "Bangaldesh" → "Bangladesh". */
export function matchCase(typed: string, suggestion: string): string {
  if (typed === typed.toUpperCase() && typed !== typed.toLowerCase()) return suggestion.toUpperCase();
  if (typed === typed.toLowerCase()) return suggestion.toLowerCase();
  const first = typed.charAt(0);
  if (first === first.toUpperCase()) return suggestion.charAt(0).toUpperCase() + suggestion.slice(1);
  return suggestion;
}

export interface SpellingLookups {
  /** The closest single-word place name of the vocabulary (as written there), if one is close. */
  closestName(folded: string): string | undefined;
  /** Whether the word is a name of the vocabulary as it is: nothing to correct. */
  isName(folded: string): boolean;
  /** The best indexed word close to this one, if the word itself is rare or unknown. */
  closestWord(folded: string): Promise<string | undefined>;
  /** In how many records the word occurs. */
  frequency(folded: string): Promise<number>;
}

/** A word in this many records or more is a word of the library, not a misspelt place name ("iron" is not "Iran"). */
const KNOWN_WORD = 3;

const MIN_WORD = 3;
const MAX_WORDS = 8;

/** The query with its misspelt words replaced, or undefined when nothing changed. */
export async function suggestSpelling(text: string, lookups: SpellingLookups): Promise<string | undefined> {
  const parsed = parseQuery(text);
  const words: { start: number; end: number; typed: string }[] = [];
  // A beginning typed with '*' ("remit*") or a word with wildcards ("wom?n") is not a misspelt word.
  for (const term of parsed.terms.filter((t) => !t.prefix && !t.wildcard)) {
    term.typed.forEach((typed, i) => words.push({ start: term.starts[i], end: term.ends[i], typed }));
  }
  if (words.length === 0 || words.length > MAX_WORDS) return undefined;
  const replacements = await Promise.all(
    words.map(async (w) => {
      const folded = foldToken(w.typed);
      if (folded.length < MIN_WORD || isAcronym(w.typed) || /\d/.test(folded) || lookups.isName(folded)) return undefined;
      // Everyday words are never misspelt names: "from" is not "FYROM".
      if (COMMON_TITLE_WORDS.has(folded)) return undefined;
      const name = lookups.closestName(folded);
      const best = name !== undefined && (await lookups.frequency(folded)) < KNOWN_WORD ? name : await lookups.closestWord(folded);
      return best && foldToken(best) !== folded ? matchCase(w.typed, best) : undefined;
    }),
  );
  if (replacements.every((r) => r === undefined)) return undefined;
  // Spliced from the end, so earlier offsets stay valid; only the typed word itself is replaced.
  let out = parsed.text;
  for (let i = words.length - 1; i >= 0; i--) {
    const r = replacements[i];
    if (r !== undefined) out = out.slice(0, words[i].start) + r + out.slice(words[i].end);
  }
  return out;
}
