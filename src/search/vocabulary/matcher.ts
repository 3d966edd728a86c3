/**
 * Token-sequence dictionaries built from the vocabulary, shared by the tagger (record text) and the
 * query analyser (visitor text). One map from first word to candidate names, longest first, so a
 * scan costs one Map lookup per token. Longest match wins, which is what keeps "Papua New Guinea"
 * from being Guinea and "Democratic Republic of the Congo" from being Congo; non-names such as
 * "Indian Ocean" are entries without targets that consume their words.
 */
import type { TagField } from '../analysed-query';
import { COMMON_TITLE_WORDS, LANGUAGE_MARKERS, NOT_A_NOUN } from './common-words';
import { nameVariants, type VariantOptions } from './name-variants';
import { adjacentToPrevious, isCapitalised, normaliseKey, tokenize, type Tokens } from './text';
import type { Vocabulary } from './vocabulary';

export interface Target {
  field: TagField;
  value: string;
}

/**
 * How a name must be written to count. 'context': a capitalised word that is also a common word
 * or a personal name (Jordan, Chad, Georgia): in record text, only capitalised and not next to
 * another name-like word. 'exact': an acronym that is also a word (US, CAR, AIDS): only as written.
 */
type Check = 'none' | 'context' | 'exact';

interface Entry {
  words: string[];
  targets: Target[];
  check: Check;
  /** For 'exact': the raw tokens as the vocabulary writes them, joined by spaces. */
  exact?: string;
  notNear?: ReadonlySet<string>;
  /** A demonym that is also a language name: needs a following noun ("Nepali workers", not "in Nepali"). */
  languageName: boolean;
  /** A name in another language: a visitor's query may use it; record text is not read for it. */
  queryOnly: boolean;
}

export interface NameSpec {
  name: string;
  target?: Target;
  ambiguous?: boolean;
  languageName?: boolean;
  notNear?: ReadonlySet<string>;
  variants?: VariantOptions;
  queryOnly?: boolean;
}

export interface Match {
  /** Token span [start, end). */
  start: number;
  end: number;
  targets: readonly Target[];
}

/** 'text': record text, where ambiguous names need context. 'query': a visitor's words, taken at their word. */
export type MatchMode = 'text' | 'query';

const NOT_NEAR_WINDOW = 3;
const CAPITALISED_WORD = /^\p{Lu}[\p{Ll}\p{M}]*$/u;

function checkFor(name: string): Check {
  return name.split(/\s+/).every((w) => CAPITALISED_WORD.test(w)) ? 'context' : 'exact';
}

const STRICTNESS: Record<Check, number> = { none: 0, context: 1, exact: 2 };

export class PhraseMatcher {
  private readonly entries = new Map<string, Entry>();
  private readonly byFirst = new Map<string, Entry[]>();
  private known: ReadonlySet<string> = COMMON_TITLE_WORDS;
  private readonly languageWords = new Set<string>();

  constructor(specs: Iterable<NameSpec>) {
    for (const spec of specs) this.addSpec(spec);
    for (const entry of this.entries.values()) {
      const list = this.byFirst.get(entry.words[0]) ?? [];
      list.push(entry);
      this.byFirst.set(entry.words[0], list);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
    for (const e of this.entries.values()) if (e.languageName && e.words.length === 1) this.languageWords.add(e.words[0]);
  }

  /** Every word of every name: capitalised vocabulary words next to an ambiguous name are not personal names. */
  vocabularyWords(): Set<string> {
    const words = new Set<string>();
    for (const e of this.entries.values()) for (const w of e.words) words.add(w);
    return words;
  }

  setKnownWords(words: ReadonlySet<string>): void {
    this.known = words;
  }

  private addSpec(spec: NameSpec): void {
    const tokens = tokenize(spec.name);
    if (tokens.words.length === 0) return;
    const check: Check = spec.ambiguous ? checkFor(spec.name) : 'none';
    const baseKey = tokens.words.join(' ');
    const variants = check === 'exact' ? [tokens.words] : nameVariants(tokens.words, spec.variants);
    for (const words of variants) {
      const key = words.join(' ');
      this.addEntry(key, {
        words,
        targets: spec.target ? [spec.target] : [],
        check,
        exact: check === 'exact' ? tokens.raw.join(' ') : undefined,
        notNear: check === 'none' ? undefined : spec.notNear,
        languageName: Boolean(spec.languageName) && key === baseKey,
        queryOnly: Boolean(spec.queryOnly),
      });
    }
  }

  private addEntry(key: string, entry: Entry): void {
    const existing = this.entries.get(key);
    if (!existing) {
      this.entries.set(key, entry);
      return;
    }
    for (const t of entry.targets) {
      if (!existing.targets.some((x) => x.field === t.field && x.value === t.value)) existing.targets.push(t);
    }
    // The same words listed twice (a name and an ambiguous name): the stricter reading holds.
    if (STRICTNESS[entry.check] > STRICTNESS[existing.check]) {
      existing.check = entry.check;
      existing.exact = entry.exact;
      existing.notNear = entry.notNear;
    }
    existing.languageName = existing.languageName || entry.languageName;
    // A name shared with English (or listed both ways) is read in record text too.
    existing.queryOnly = existing.queryOnly && entry.queryOnly;
  }

  /** Non-overlapping names in the tokens, left to right, longest first. */
  scan(tokens: Tokens, mode: MatchMode): Match[] {
    const { words } = tokens;
    const n = words.length;
    const out: Match[] = [];
    const caseInfo = new CaseInfo(tokens.text);
    for (let i = 0; i < n; ) {
      const candidates = this.byFirst.get(words[i]);
      let consumed = 1;
      if (candidates) {
        for (const e of candidates) {
          const len = e.words.length;
          if (i + len > n || !sameWords(words, i, e.words)) continue;
          if (e.queryOnly && mode === 'text') continue;
          if ((e.check !== 'none' || e.languageName) && !this.accept(e, tokens, i, mode, caseInfo)) continue;
          consumed = len;
          if (e.targets.length > 0) out.push({ start: i, end: i + len, targets: e.targets });
          break;
        }
      }
      i += consumed;
    }
    return out;
  }

  private accept(e: Entry, tokens: Tokens, i: number, mode: MatchMode, caseInfo: CaseInfo): boolean {
    const end = i + e.words.length;
    if (e.notNear && nearAny(tokens, i, end, e.notNear)) return false;
    if (e.check === 'exact') {
      if (tokens.raw.slice(i, end).join(' ') !== e.exact) return false;
      // "US$ 5 million", "CAN$": a currency, not the country.
      if (tokens.text.charCodeAt(tokens.ends[end - 1]) === 0x24) return false;
      // In an all-capitals text every word looks like an acronym ("HOW CAN WE HELP US").
      if (mode === 'text' && !caseInfo.hasLower()) return false;
    }
    if (mode === 'query') return true;
    if (e.check === 'context') {
      if (!caseInfo.hasUpper()) return false;
      for (let k = i; k < end; k++) if (!isCapitalised(tokens.raw[k])) return false;
      if (adjacentToPrevious(tokens, i) && this.nameLike(tokens, i - 1)) return false;
      if (afterInitial(tokens, i)) return false;
      if (end < tokens.words.length && adjacentToPrevious(tokens, end) && this.nameLike(tokens, end)) return false;
    }
    if (e.languageName && this.namesLanguage(tokens, i, end)) return false;
    return true;
  }

  /**
   * "in French and Spanish", "French-speaking", "translated from Nepali": the language, not the
   * country. A following noun ("Nepali workers", "in Nepali households") makes it the demonym.
   */
  private namesLanguage(tokens: Tokens, start: number, end: number): boolean {
    const { words } = tokens;
    if (end < words.length) {
      const next = words[end];
      if (LANGUAGE_MARKERS.has(next) && gapIs(tokens, end, /^[\s\-‐‑–]*$/)) return true;
      if (adjacentToPrevious(tokens, end) && !NOT_A_NOUN.has(next)) return false;
    }
    // Walk back over a list of language names ("in French, Spanish and Arabic") to its preposition.
    for (let k = start - 1; k >= 0; k--) {
      if (!gapIs(tokens, k + 1, /^[\s,]*$/)) return false;
      const w = words[k];
      if (LANGUAGE_PREPOSITIONS.has(w)) return true;
      if (w !== 'and' && w !== 'or' && !this.languageWords.has(w)) return false;
    }
    return false;
  }

  private nameLike(tokens: Tokens, j: number): boolean {
    return isCapitalised(tokens.raw[j]) && !this.known.has(tokens.words[j]) && !/^\d+$/.test(tokens.words[j]);
  }
}

const LANGUAGE_PREPOSITIONS: ReadonlySet<string> = new Set(['in', 'into', 'from', 'to']);

/** Whether the characters between token i-1 and token i match the pattern. */
function gapIs(tokens: Tokens, i: number, pattern: RegExp): boolean {
  return pattern.test(tokens.text.slice(tokens.ends[i - 1], tokens.starts[i]));
}

/** "Michael B. Jordan": an initial before a name makes it a person's. */
function afterInitial(tokens: Tokens, i: number): boolean {
  return i > 0 && /^\p{Lu}$/u.test(tokens.raw[i - 1]) && gapIs(tokens, i, /^\.\s*$/);
}

/** Sentence punctuation between token i-1 and token i: context rules do not look across it. An initial's full stop is none. */
export function sentenceBreakBefore(tokens: Tokens, i: number): boolean {
  const gap = tokens.text.slice(tokens.ends[i - 1], tokens.starts[i]);
  if (!/[.;:!?()[\]{}\n\r|•]/.test(gap)) return false;
  return !(/^\.\s*$/.test(gap) && tokens.raw[i - 1].length === 1);
}

function sameWords(words: readonly string[], i: number, name: readonly string[]): boolean {
  for (let k = 1; k < name.length; k++) if (words[i + k] !== name[k]) return false;
  return true;
}

/** Whether a word of the set is within a few words of the span, in the same sentence. */
function nearAny(tokens: Tokens, start: number, end: number, set: ReadonlySet<string>): boolean {
  const { words } = tokens;
  for (let k = start - 1; k >= 0 && k >= start - NOT_NEAR_WINDOW && !sentenceBreakBefore(tokens, k + 1); k--) {
    if (set.has(words[k])) return true;
  }
  for (let k = end; k < words.length && k < end + NOT_NEAR_WINDOW && !sentenceBreakBefore(tokens, k); k++) {
    if (set.has(words[k])) return true;
  }
  return false;
}

/** Whether the text has upper- and lower-case letters at all, computed only when a rule asks. */
class CaseInfo {
  private upper?: boolean;
  private lower?: boolean;
  constructor(private readonly text: string) {}
  hasUpper(): boolean {
    this.upper ??= /\p{Lu}/u.test(this.text);
    return this.upper;
  }
  hasLower(): boolean {
    this.lower ??= /\p{Ll}/u.test(this.text);
    return this.lower;
  }
}

export interface Matchers {
  /** Countries, demonyms and regions, in one dictionary: their names overlap ("South Africa", "Southern Africa", "Central African Republic"). */
  geo: PhraseMatcher;
  /** Theme synonyms: a separate pass, so "Overseas Filipino Workers" is both a theme and the Philippines. */
  themes: PhraseMatcher;
}

function* geoSpecs(vocab: Vocabulary): Generator<NameSpec> {
  for (const c of vocab.countries) {
    const target: Target = { field: 'countries', value: c.code };
    const ambiguous = new Set((c.ambiguousNames ?? []).map(normaliseKey));
    const languages = new Set((c.languageNames ?? []).map(normaliseKey));
    const notNear = c.notNear ? new Set(c.notNear.map(normaliseKey)) : undefined;
    const spec = (name: string, demonym: boolean): NameSpec => {
      const key = normaliseKey(name);
      return { name, target, ambiguous: ambiguous.has(key), languageName: languages.has(key), notNear, variants: { plural: demonym } };
    };
    for (const name of [c.name, ...c.altNames]) yield spec(name, false);
    for (const name of c.demonyms) yield spec(name, true);
    for (const name of c.ambiguousNames ?? []) yield spec(name, false);
  }
  for (const r of vocab.regions) {
    const target: Target = { field: 'regions', value: r.id };
    const ambiguous = new Set((r.ambiguousNames ?? []).map(normaliseKey));
    for (const name of [...r.names, ...(r.ambiguousNames ?? [])]) yield { name, target, ambiguous: ambiguous.has(normaliseKey(name)) };
  }
  // Names in the other UN languages, for queries ("Liban", "Россия", "venezolanos").
  for (const [code, names] of vocab.otherLanguageNames) {
    const target: Target = { field: 'countries', value: code };
    for (const name of names) yield { name, target, queryOnly: true, variants: { russianCases: true } };
  }
  for (const name of [...vocab.nonCountryPhrases, ...vocab.nonRegionPhrases]) yield { name };
}

function* themeSpecs(vocab: Vocabulary): Generator<NameSpec> {
  const variants: VariantOptions = { plural: true, compounds: true, spelling: (w) => vocab.spellingVariants(w) };
  for (const t of vocab.themes) {
    const target: Target = { field: 'themes', value: t.id };
    const ambiguous = new Set((t.ambiguousNames ?? []).map(normaliseKey));
    // Labels are not matched in text: some are bare words ("Construction") that the synonyms deliberately avoid.
    for (const name of [...t.synonyms, ...(t.ambiguousNames ?? [])]) {
      yield { name, target, ambiguous: ambiguous.has(normaliseKey(name)), variants };
    }
  }
  for (const name of vocab.nonThemePhrases) yield { name, variants };
}

const cache = new WeakMap<Vocabulary, Matchers>();

/** The dictionaries of a vocabulary, built on first use. */
export function matchersFor(vocab: Vocabulary): Matchers {
  let m = cache.get(vocab);
  if (!m) {
    const geo = new PhraseMatcher(geoSpecs(vocab));
    const themes = new PhraseMatcher(themeSpecs(vocab));
    const known = new Set([...COMMON_TITLE_WORDS, ...geo.vocabularyWords(), ...themes.vocabularyWords()]);
    geo.setKnownWords(known);
    themes.setKnownWords(known);
    m = { geo, themes };
    cache.set(vocab, m);
  }
  return m;
}

