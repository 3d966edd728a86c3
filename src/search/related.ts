/**
 * "Related publications": what a record's most distinctive words are, for engines that build a
 * related-records query themselves (the embedded engine; Elasticsearch has more_like_this, which
 * chooses its terms the same way: most frequent in the record, rarest in the library). Pure.
 */
import type { ResourceDocument } from './types';
import { toWords } from './vocabulary/text';

/** Related publications shown on a record's page and in its JSON. */
export const RELATED_LIMIT = 5;
/** Words of a record a related-records query uses at most. */
export const MAX_RELATED_TERMS = 25;
/** Shorter words say little about what a record is about. */
export const MIN_RELATED_WORD = 3;
/** A word in more than this share of the library says little about any record. */
export const MAX_RELATED_DOC_SHARE = 0.5;

/** Function words (English, French, Spanish, Portuguese) that never make two records related. */
export const RELATED_STOPWORDS: readonly string[] = `about above after again against all also among and any are because been
before being below between both but can could did does doing down during each few for from further had has have
having her here hers him his how into its itself just more most not now off once only other our out over own same
she should some such than that the their theirs them then there these they this those through too under until very
was were what when where which while who whom why will with would you your les des une dans par pour sur avec aux
est sont ces son ses leur leurs qui que del los las una por para con sus como entre sobre das dos uma com pelo
pela nos nas`
  .split(/\s+/)
  .filter((w) => w !== '');

const STOP = new Set(RELATED_STOPWORDS);

/**
 * The record's most distinctive words: each folded word of its title (counted twice), abstract
 * and keywords, weighted by how often the record uses it and how rare it is in the library
 * (tf × idf); words only this record has, or that most records have, are left out.
 */
export function relatedTerms(doc: ResourceDocument, documentFrequency: (word: string) => number, documents: number, max = MAX_RELATED_TERMS): string[] {
  const tf = new Map<string, number>();
  const count = (text: string | undefined, weight: number): void => {
    for (const w of toWords(text ?? '')) {
      if (w.length < MIN_RELATED_WORD || STOP.has(w) || /^\d+$/.test(w)) continue;
      tf.set(w, (tf.get(w) ?? 0) + weight);
    }
  };
  count(doc.title, 2);
  count(doc.abstract, 1);
  for (const k of doc.keywords) count(k, 1);
  const scored: [string, number][] = [];
  for (const [word, n] of tf) {
    const df = documentFrequency(word);
    if (df < 2 || df > documents * MAX_RELATED_DOC_SHARE) continue;
    scored.push([word, n * Math.log(documents / df)]);
  }
  return scored
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([w]) => w);
}
