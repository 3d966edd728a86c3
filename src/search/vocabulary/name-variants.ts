/**
 * Spellings of a name that the vocabulary files need not list one by one: they are what people
 * write for the same name ("St Lucia", "Trinidad & Tobago", "Lao Peoples Democratic Republic",
 * "Cote dIvoire", "labor migration", "remittance" for "remittances").
 */

const MAX_VARIANTS = 16;

export interface VariantOptions {
  /** Add the plural of the last word (demonyms and theme synonyms, not place names: "Chads" is no country). */
  plural?: boolean;
  /** Other spellings of one folded word (from vocab/spelling-variants.json). */
  spelling?: (word: string) => readonly string[];
  /** Add the closed compound of a prefix and its word: "anti-trafficking" → "antitrafficking". */
  compounds?: boolean;
  /** Add the Russian case forms of the last word ("Россия" → России, Россию, Россией). */
  russianCases?: boolean;
}

const CYRILLIC = /^[\u0400-\u04ff]+$/;

/**
 * The common case endings of a Russian noun, enough for a name in a query ("мигранты в России"):
 * -ия → -ии, -ию, -ией; -а/-я → -ы/-и, -е, -у/-ю, -ой/-ей; a consonant → +а, +е, +у, +ом.
 */
function russianCaseForms(word: string): string[] {
  if (!CYRILLIC.test(word) || word.length < 3) return [];
  if (word.endsWith('ия')) return ['ии', 'ию', 'ией'].map((e) => word.slice(0, -2) + e);
  if (word.endsWith('а')) return ['ы', 'и', 'е', 'у', 'ой'].map((e) => word.slice(0, -1) + e);
  if (word.endsWith('я')) return ['и', 'е', 'ю', 'ей'].map((e) => word.slice(0, -1) + e);
  if (/[бвгджзклмнпрстфхцчшщ]$/.test(word)) return ['а', 'е', 'у', 'ом'].map((e) => word + e);
  return [];
}

/** Prefixes written hyphenated, spaced or closed ("anti-trafficking", "anti trafficking", "antitrafficking"). */
const COMPOUND_PREFIXES = new Set(['anti', 'counter', 'pre', 'post', 'non', 're', 'co', 'inter', 'cross', 'self', 'multi', 'socio', 'e']);

function closeCompound(words: string[]): string[] | undefined {
  const i = words.findIndex((w, k) => COMPOUND_PREFIXES.has(w) && k + 1 < words.length && words[k + 1].length >= 3);
  if (i < 0) return undefined;
  return [...words.slice(0, i), `${words[i]}${words[i + 1]}`, ...words.slice(i + 2)];
}

function plural(word: string): string | undefined {
  if (/\d/.test(word) || word.length < 3) return undefined;
  if (/(s|x|z|sh|ch|ese)$/.test(word)) return undefined;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

function swapSaint(words: string[]): string[] | undefined {
  if (words.includes('saint')) return words.map((w) => (w === 'saint' ? 'st' : w));
  if (words.includes('st')) return words.map((w) => (w === 'st' ? 'saint' : w));
  return undefined;
}

/** "&" is no token, so "Trinidad & Tobago" reaches us as "trinidad tobago". */
function dropAnd(words: string[]): string[] | undefined {
  return words.length > 2 && words.includes('and') ? words.filter((w) => w !== 'and') : undefined;
}

/** "Bolivia (the Plurinational State of)", "Republic of the Congo": the inner "the" is often left out. */
export function dropInnerThe(words: readonly string[]): string[] | undefined {
  return words.indexOf('the', 1) > 0 ? [words[0], ...words.slice(1).filter((w) => w !== 'the')] : undefined;
}

/** "People's" is tokenised as "people s"; people also write "Peoples" and "People". */
function joinPossessive(words: string[]): string[][] {
  const i = words.indexOf('s');
  // "u s" (U.S.) is no possessive: joining it would turn the pronoun "us" into a name.
  if (i <= 0 || words[i - 1].length < 3) return [];
  const joined = [...words.slice(0, i - 1), `${words[i - 1]}s`, ...words.slice(i + 1)];
  const dropped = [...words.slice(0, i), ...words.slice(i + 1)];
  return [joined, dropped];
}

/** French elision: "d'Ivoire" is "d ivoire", but is also written "dIvoire" or "d Ivoire". */
function joinElision(words: string[]): string[] | undefined {
  const i = words.findIndex((w, k) => (w === 'd' || w === 'l') && k + 1 < words.length && words[k + 1].length >= 3);
  if (i < 0) return undefined;
  return [...words.slice(0, i), `${words[i]}${words[i + 1]}`, ...words.slice(i + 2)];
}

function withSpellings(words: string[], spelling: (word: string) => readonly string[]): string[][] {
  let out: string[][] = [words];
  words.forEach((w, i) => {
    const alternatives = spelling(w);
    if (alternatives.length === 0) return;
    out = out.flatMap((v) => [v, ...alternatives.map((a) => v.map((x, k) => (k === i ? a : x)))]);
  });
  return out.slice(0, MAX_VARIANTS);
}

/** The name itself first, then its variants; each a list of folded words; no duplicates. */
export function nameVariants(words: readonly string[], options: VariantOptions = {}): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  const push = (v: string[] | undefined): void => {
    if (!v || v.length === 0 || out.length >= MAX_VARIANTS) return;
    const key = v.join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    out.push(v);
  };
  const base = [...words];
  push(base);
  for (const v of [...out]) push(swapSaint(v));
  for (const v of [...out]) push(dropAnd(v));
  for (const v of [...out]) push(dropInnerThe(v));
  for (const v of [...out]) joinPossessive(v).forEach(push);
  for (const v of [...out]) push(joinElision(v));
  if (options.compounds) for (const v of [...out]) push(closeCompound(v));
  if (options.russianCases) {
    for (const v of [...out]) for (const form of russianCaseForms(v[v.length - 1])) push([...v.slice(0, -1), form]);
  }
  if (options.spelling) for (const v of [...out]) withSpellings(v, options.spelling).forEach(push);
  if (options.plural) {
    for (const v of [...out]) {
      const p = plural(v[v.length - 1]);
      if (p) push([...v.slice(0, -1), p]);
    }
  }
  return out;
}
