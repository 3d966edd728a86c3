/**
 * Visitor text → AnalysedQuery: parse, then recognise countries, demonyms, regions and themes in
 * the typed words, so "Laos" also finds records tagged LAO (written "Lao PDR"), "Burmese migrants"
 * finds Myanmar, "ASEAN" finds records tagged with member countries (engines index the derived
 * regions), and "labor" also matches "labour". Every recognised name only widens its clause: the
 * typed words stay one of the ways to match, so recognition never loses a result.
 */
import type { AnalysedQuery, MatchUnit, QueryClause } from './analysed-query';
import { parseQuery, type ParsedTerm } from './query-parser';
import { matchersFor, type Match, type Target } from './vocabulary/matcher';
import { normaliseKey, type Tokens } from './vocabulary/text';
import type { Vocabulary } from './vocabulary/vocabulary';

export const MAX_CLAUSES = 32;
const MAX_SPELLINGS = 4;

export function analyseQuery(vocab: Vocabulary, text: string): AnalysedQuery {
  const parsed = parseQuery(text);
  const { terms } = parsed;
  const clauses: QueryClause[] = [];
  const proximityWords: string[] = [];
  const add = (clause: QueryClause): void => {
    const key = JSON.stringify(clause);
    if (clauses.length < MAX_CLAUSES && !clauses.some((c) => JSON.stringify(c) === key)) clauses.push(clause);
  };

  for (let i = 0; i < terms.length; ) {
    if (terms[i].quoted || terms[i].negated) {
      add(wholeTermClause(vocab, parsed.text, terms[i]));
      i++;
      continue;
    }
    // Consecutive unquoted words form one run, so a name may span terms ("South Korea", "Lao PDR").
    let j = i;
    while (j < terms.length && !terms[j].quoted && !terms[j].negated) j++;
    const run = tokensOf(parsed.text, terms.slice(i, j));
    proximityWords.push(...run.words);
    for (const clause of runClauses(vocab, run)) add(clause);
    i = j;
  }
  return { clauses, proximityWords: proximityWords.length >= 2 ? proximityWords : [] };
}

function runClauses(vocab: Vocabulary, run: Tokens): QueryClause[] {
  const { words, raw } = run;
  const out: QueryClause[] = [];
  let k = 0;
  for (const span of names(vocab, run)) {
    for (; k < span.start; k++) out.push(wordClause(vocab, words[k], raw[k]));
    const source = typedText(run, span.start, span.end);
    out.push(nameClause(vocab, words.slice(span.start, span.end), source, span.targets, { negated: false, exact: false }));
    k = span.end;
  }
  for (; k < words.length; k++) out.push(wordClause(vocab, words[k], raw[k]));
  return out;
}

function wordClause(vocab: Vocabulary, word: string, typed: string): QueryClause {
  const units: MatchUnit[] = [word, ...vocab.spellingVariants(word)].map((w) => ({ kind: 'words', words: [w], phrase: false }));
  return { anyOf: units, negated: false, source: typed };
}

interface ClauseOptions {
  negated: boolean;
  /** Quoted: the words as typed, together; no spelling variants, no loose match. */
  exact: boolean;
}

function nameClause(vocab: Vocabulary, words: string[], source: string, targets: readonly Target[], options: ClauseOptions): QueryClause {
  const { negated, exact } = options;
  const units: MatchUnit[] = [];
  for (const spelling of exact ? [words] : spellings(vocab, words)) {
    units.push({ kind: 'words', words: spelling, phrase: spelling.length > 1 });
    // The words apart as well as together: "domestic workers" also finds "workers in domestic service".
    // Not for exclusions, which would then remove far more than was typed.
    if (spelling.length > 1 && !negated && !exact) units.push({ kind: 'words', words: spelling, phrase: false });
  }
  if (!exact) {
    // Other names of what was named, as text: "Laos" also matches (and highlights) "Lao People's
    // Democratic Republic" in records the tagger did not tag, as Elasticsearch's synonyms do.
    const typed = new Set(units.map((u) => (u.kind === 'words' ? u.words.join(' ') : '')));
    for (const t of targets) {
      for (const name of otherNames(vocab, t)) {
        if (typed.has(name.join(' '))) continue;
        typed.add(name.join(' '));
        units.push({ kind: 'words', words: name, phrase: name.length > 1, alias: true });
      }
    }
  }
  for (const t of targets) units.push({ kind: 'tag', field: t.field, value: t.value });
  return { anyOf: units, negated, source };
}

const MAX_OTHER_NAMES = 8;

/**
 * Unambiguous names of a tag as folded words. Names that are also common words, person or
 * language names ("Jordan", "US", "Lao"), demonyms and very short forms would match far more
 * than the place, so they are left to the tag.
 */
function otherNames(vocab: Vocabulary, target: Target): string[][] {
  let names: string[] = [];
  let excluded = new Set<string>();
  if (target.field === 'countries') {
    const c = vocab.country(target.value);
    if (c) {
      // Not the demonyms: "American" would also match "Latin American".
      names = [c.name, ...c.altNames];
      excluded = new Set([...(c.ambiguousNames ?? []), ...(c.languageNames ?? [])].map(normaliseKey));
    }
  } else if (target.field === 'regions') {
    const r = vocab.region(target.value);
    if (r) {
      names = [r.label, ...r.names];
      excluded = new Set((r.ambiguousNames ?? []).map(normaliseKey));
    }
  } else {
    const t = vocab.theme(target.value);
    if (t) {
      names = t.synonyms;
      excluded = new Set((t.ambiguousNames ?? []).map(normaliseKey));
    }
  }
  const out = new Map<string, string[]>();
  for (const name of names) {
    const key = normaliseKey(name);
    const words = key.split(' ').filter(Boolean);
    if (excluded.has(key) || !words.some((w) => w.length >= 3) || out.has(key)) continue;
    out.set(key, words);
  }
  return [...out.values()].slice(0, MAX_OTHER_NAMES);
}

/**
 * A quoted phrase or an exclusion, as one clause: its words (together when more than one), plus
 * tags when the words are, as a whole, one name ("-Thailand" also excludes records tagged THA).
 */
function wholeTermClause(vocab: Vocabulary, text: string, term: ParsedTerm): QueryClause {
  const source = term.quoted ? `"${term.source}"` : term.source;
  const span = names(vocab, tokensOf(text, [term])).find((s) => s.start === 0 && s.end === term.words.length);
  const options = { negated: term.negated, exact: term.quoted };
  if (span || (!term.quoted && term.words.length === 1)) return nameClause(vocab, term.words, source, span?.targets ?? [], options);
  return { anyOf: [{ kind: 'words', words: term.words, phrase: term.words.length > 1 }], negated: term.negated, source };
}

/** The words with each spelling variant swapped in, the typed spelling first; a few at most. */
function spellings(vocab: Vocabulary, words: string[]): string[][] {
  let out: string[][] = [words];
  words.forEach((w, i) => {
    for (const alt of vocab.spellingVariants(w)) {
      out = [...out, ...out.map((v) => v.map((x, k) => (k === i ? alt : x)))];
    }
  });
  return out.slice(0, MAX_SPELLINGS);
}

/**
 * Names found by both dictionaries, without overlaps: the longer span wins ("Overseas Filipino
 * Workers" is the theme, not also the Philippines, because a clause that the country tag alone
 * satisfied would be far wider than what was typed); equal spans pool their tags.
 */
function names(vocab: Vocabulary, tokens: Tokens): Match[] {
  const { geo, themes } = matchersFor(vocab);
  const all = [...geo.scan(tokens, 'query'), ...themes.scan(tokens, 'query')].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const chosen: Match[] = [];
  for (const m of all) {
    const same = chosen.find((c) => c.start === m.start && c.end === m.end);
    if (same) {
      same.targets = [...same.targets, ...m.targets];
      continue;
    }
    if (!chosen.some((c) => m.start < c.end && c.start < m.end)) chosen.push({ ...m });
  }
  return chosen.sort((a, b) => a.start - b.start);
}

/** The parsed words of consecutive terms as one token sequence over the query text. */
function tokensOf(text: string, terms: readonly ParsedTerm[]): Tokens {
  return {
    text,
    words: terms.flatMap((t) => t.words),
    raw: terms.flatMap((t) => t.typed),
    starts: terms.flatMap((t) => t.starts),
    ends: terms.flatMap((t) => t.ends),
  };
}

/** What the visitor typed for tokens [start, end), punctuation included ("Côte d’Ivoire"). */
function typedText(tokens: Tokens, start: number, end: number): string {
  return tokens.text.slice(tokens.starts[start], tokens.ends[end - 1]);
}
