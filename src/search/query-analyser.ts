/**
 * Visitor text → AnalysedQuery: parse (words, "phrases", -exclusions, AND / OR / NOT and
 * parentheses), then recognise countries, demonyms, regions and themes in the typed words, so
 * "Laos" also finds records tagged LAO (written "Lao PDR"), "Burmese migrants" finds Myanmar,
 * "ASEAN" finds records tagged with member countries (engines index the derived regions), "IDPs"
 * finds "internally displaced persons" and "labor" also matches "labour". Every recognised name
 * only widens its clause: the typed words stay one of the ways to match, so recognition never
 * loses a result.
 */
import type { AnalysedQuery, MatchUnit, QueryClause, TagField } from './analysed-query';
import { parseQuery, render, type ParsedTerm, type QueryNode } from './query-parser';
import { matchersFor, type Match, type Target } from './vocabulary/matcher';
import { normaliseKey, type Tokens } from './vocabulary/text';
import type { Vocabulary } from './vocabulary/vocabulary';

/** Clauses in all, nested ones included: bounds the work of every engine whatever was typed. */
export const MAX_CLAUSES = 32;
const MAX_SPELLINGS = 4;
const MAX_OTHER_NAMES = 12;

export function analyseQuery(vocab: Vocabulary, text: string): AnalysedQuery {
  const parsed = parseQuery(text);
  const analyser = new Analyser(vocab, parsed.text);
  const clauses = parsed.root ? analyser.conjunction(parsed.root) : [];
  // Only function words were typed ("the", "de la"): search for them after all.
  if (!clauses.some((c) => !c.negated)) clauses.unshift(...analyser.stopwords.slice(0, MAX_CLAUSES - clauses.length));
  const positive = clauses.filter((c) => !c.negated);
  const query: AnalysedQuery = {
    clauses,
    // Phrase proximity only for plain queries: with operators, the typed order says nothing.
    proximityWords: !parsed.operators && analyser.runWords.length >= 2 ? analyser.runWords : [],
  };
  if (parsed.operators && parsed.root) query.reading = parsed.reading;
  if (!parsed.operators && positive.length >= 2) query.relaxable = true;
  return query;
}

class Analyser {
  /** Words of positive unquoted runs at the top level, in typed order (for proximity). */
  readonly runWords: string[] = [];
  /** Function words left out of the clauses: put back when nothing else was typed. */
  readonly stopwords: QueryClause[] = [];
  private budget = MAX_CLAUSES;
  private depth = 0;

  constructor(
    private readonly vocab: Vocabulary,
    private readonly text: string,
  ) {}

  /** The clauses that must all hold for a node (AND); a run of plain words is read as one text, so names may span words. */
  conjunction(node: QueryNode): QueryClause[] {
    const children = node.kind === 'and' ? node.children : [node];
    const out: QueryClause[] = [];
    for (let i = 0; i < children.length; ) {
      const child = children[i];
      if (isPlainWord(child)) {
        let j = i;
        while (j < children.length && isPlainWord(children[j])) j++;
        const run = tokensOf(this.text, children.slice(i, j).map((c) => (c as { term: ParsedTerm }).term));
        if (this.depth === 0) this.runWords.push(...run.words);
        for (const clause of this.runClauses(run)) this.add(out, clause);
        i = j;
        continue;
      }
      const clause = this.clauseOf(child);
      if (clause) this.add(out, clause);
      i++;
    }
    return out;
  }

  private add(out: QueryClause[], clause: QueryClause): void {
    if (this.budget <= 0) return;
    const key = JSON.stringify(clause);
    if (out.some((c) => JSON.stringify(c) === key)) return;
    this.budget--;
    out.push(clause);
  }

  private clauseOf(node: QueryNode): QueryClause | undefined {
    switch (node.kind) {
      case 'term':
        return this.wholeTermClause(node.term, false);
      case 'not': {
        if (node.child.kind === 'term') return this.wholeTermClause(node.child.term, true);
        const inner = this.nested(() => (node.child.kind === 'or' ? [this.disjunction(node.child)] : this.conjunction(node.child)));
        if (inner.length === 0) return undefined;
        if (inner.length === 1 && !inner[0].negated) return { ...inner[0], negated: true, source: render(node.child, false) };
        return { anyOf: [{ kind: 'all', clauses: inner }], negated: true, source: render(node.child, false) };
      }
      case 'or':
        return this.nested(() => this.disjunction(node));
      case 'and': {
        const inner = this.nested(() => this.conjunction(node));
        if (inner.length === 0) return undefined;
        return inner.length === 1 ? inner[0] : { anyOf: [{ kind: 'all', clauses: inner }], negated: false, source: render(node, false) };
      }
    }
  }

  /** One clause whose units are the alternatives of every branch: a branch of one clause contributes its units, a longer one a group. */
  private disjunction(node: Extract<QueryNode, { kind: 'or' }>): QueryClause {
    const anyOf: MatchUnit[] = [];
    const seen = new Set<string>();
    const push = (u: MatchUnit): void => {
      const key = JSON.stringify(u);
      if (!seen.has(key)) {
        seen.add(key);
        anyOf.push(u);
      }
    };
    for (const branch of node.children) {
      const clauses = this.conjunction(branch);
      if (clauses.length === 0) continue;
      if (clauses.length === 1 && !clauses[0].negated) clauses[0].anyOf.forEach(push);
      else push({ kind: 'all', clauses });
    }
    return { anyOf, negated: false, source: render(node, false) };
  }

  private nested<T>(f: () => T): T {
    this.depth++;
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private runClauses(run: Tokens): QueryClause[] {
    const { words, raw } = run;
    const out: QueryClause[] = [];
    let k = 0;
    const word = (i: number): void => {
      // A function word ("in", "au", "de") is not required: "migrant workers in Lebanon" also finds
      // "Lebanon: migrant workers". Written in capitals ("IT") it is a word of its own.
      if (this.vocab.isStopword(words[i]) && raw[i] !== raw[i].toUpperCase()) this.stopwords.push(this.wordClause(words[i], raw[i]));
      else out.push(this.wordClause(words[i], raw[i]));
    };
    for (const span of names(this.vocab, run)) {
      for (; k < span.start; k++) word(k);
      const source = typedText(run, span.start, span.end);
      out.push(this.nameClause(words.slice(span.start, span.end), source, span.targets, { negated: false, exact: false }));
      k = span.end;
    }
    for (; k < words.length; k++) word(k);
    return out;
  }

  /** The word, its spellings, and the same word in the other languages ("migrantes" → migrants). */
  private wordClause(word: string, typed: string): QueryClause {
    const forms = [...new Set([word, ...this.vocab.spellingVariants(word), ...this.vocab.translationsOf(word)])];
    const units: MatchUnit[] = forms.map((w) => ({ kind: 'words', words: [w], phrase: false }));
    return { anyOf: units, negated: false, source: typed };
  }

  private nameClause(words: string[], source: string, targets: readonly Target[], options: ClauseOptions): QueryClause {
    const { negated, exact } = options;
    const units: MatchUnit[] = [];
    // A country's name that is part of another country's ("Sudan" of "South Sudan", "Guinea" of
    // "Papua New Guinea", "Niger" of "Niger Delta") counts as text only where the record carries
    // the country's tag: elsewhere it is that other country (in the tags column too, where "South
    // Sudan" stands for every record tagged so). Quoted, it is text like any other.
    const [only] = targets;
    const country = targets.length === 1 && only.field === 'countries' && !exact ? only.value : undefined;
    for (const spelling of exact ? [words] : spellings(this.vocab, words)) {
      const unit: MatchUnit = { kind: 'words', words: spelling, phrase: spelling.length > 1 };
      if (country && inOtherCountryName(this.vocab, country, spelling.join(' '))) unit.onlyWith = { field: 'countries', value: country };
      units.push(unit);
      // The words apart as well as together: "domestic workers" also finds "workers in domestic service".
      // Not for exclusions, which would then remove far more than was typed.
      if (spelling.length > 1 && !negated && !exact) units.push({ ...unit, phrase: false });
    }
    if (!exact) {
      // Other names of what was named, as text: "Laos" also matches (and highlights) "Lao People's
      // Democratic Republic" in records the tagger did not tag; "Nepal" also "Nepali" in records about Nepal.
      const typed = new Set(units.map((u) => (u.kind === 'words' ? u.words.join(' ') : '')));
      for (const t of targets) {
        for (const name of otherNames(this.vocab, t, words)) {
          for (const spelling of spellings(this.vocab, name.words)) {
            const key = spelling.join(' ');
            if (typed.has(key)) continue;
            typed.add(key);
            const unit: MatchUnit = { kind: 'words', words: spelling, phrase: spelling.length > 1, alias: true };
            if (name.onlyWith) unit.onlyWith = { field: t.field, value: t.value };
            units.push(unit);
          }
        }
      }
    }
    // A theme's tag only for a name of the whole theme: "statelessness" finds what says so, not
    // every record about refugees and displacement.
    for (const t of targets) if (t.field !== 'themes' || this.vocab.namesWholeTheme(t.value, words)) units.push({ kind: 'tag', field: t.field, value: t.value });
    return { anyOf: units, negated, source };
  }

  /**
   * A quoted phrase or an exclusion, as one clause: its words (together when more than one), plus
   * tags when the words are, as a whole, one name ("-Thailand" also excludes records tagged THA).
   */
  private wholeTermClause(term: ParsedTerm, negated: boolean): QueryClause {
    const source = term.quoted ? `"${term.source}"` : term.source;
    // A beginning is no name, and has no spellings: the engines match every word it begins.
    if (term.prefix) return { anyOf: [{ kind: 'words', words: term.words, phrase: false, prefix: true }], negated, source };
    if (term.wildcard) return { anyOf: [{ kind: 'words', words: term.words, phrase: false, wildcard: true }], negated, source };
    const span = names(this.vocab, tokensOf(this.text, [term])).find((s) => s.start === 0 && s.end === term.words.length);
    const options = { negated, exact: term.quoted };
    if (span || (!term.quoted && term.words.length === 1)) return this.nameClause(term.words, source, span?.targets ?? [], options);
    return { anyOf: [{ kind: 'words', words: term.words, phrase: term.words.length > 1 }], negated, source };
  }
}

interface ClauseOptions {
  negated: boolean;
  /** Quoted: the words as typed, together; no spelling variants, no loose match. */
  exact: boolean;
}

function isPlainWord(node: QueryNode): node is Extract<QueryNode, { kind: 'term' }> {
  return node.kind === 'term' && !node.term.quoted && !node.term.prefix && !node.term.wildcard;
}

interface OtherName {
  words: string[];
  /** Counts only in documents carrying the tag: a demonym or a name that is also something else. */
  onlyWith: boolean;
}

/**
 * Other names of a tag as folded words. A country's or region's names match any text; its
 * demonyms and its ambiguous or language names ("Nepali", "Jordan", "Lao") only in documents that
 * carry its tag, where they can only mean it, and so do a country's names that are part of
 * another country's name ("Korea" and "Republic of Korea" are in "Democratic People's Republic of
 * Korea": as text they would bring North Korea to a search for South Korea). A theme contributes
 * the names equivalent to the one typed ("IDPs" ↔ "internally displaced persons"), not every
 * synonym of a broad theme. Very short forms ("US") are left to the tag.
 */
function otherNames(vocab: Vocabulary, target: Target, typed: readonly string[]): OtherName[] {
  const plain: string[][] = [];
  const conditional: string[][] = [];
  if (target.field === 'countries') {
    const c = vocab.country(target.value);
    if (c) {
      const unsure = new Set([...(c.ambiguousNames ?? []), ...(c.languageNames ?? [])].map(normaliseKey));
      for (const name of [c.name, ...c.altNames]) {
        const key = normaliseKey(name);
        (unsure.has(key) || inOtherCountryName(vocab, c.code, key) ? conditional : plain).push(words(name));
      }
      for (const name of [...c.demonyms, ...(c.ambiguousNames ?? [])]) conditional.push(words(name));
    }
  } else if (target.field === 'regions') {
    const r = vocab.region(target.value);
    if (r) {
      const unsure = new Set((r.ambiguousNames ?? []).map(normaliseKey));
      for (const name of [r.label, ...r.names]) (unsure.has(normaliseKey(name)) ? conditional : plain).push(words(name));
    }
  } else {
    plain.push(...vocab.themeEquivalents(target.value, typed));
  }
  const out = new Map<string, OtherName>();
  const add = (w: string[], onlyWith: boolean): void => {
    const key = w.join(' ');
    if (w.length === 0 || !w.some((x) => x.length >= 3) || out.has(key)) return;
    out.set(key, { words: w, onlyWith });
  };
  plain.forEach((w) => add(w, false));
  conditional.forEach((w) => add(w, true));
  return [...out.values()].slice(0, MAX_OTHER_NAMES);
}

function words(name: string): string[] {
  return normaliseKey(name).split(' ').filter(Boolean);
}

/** Per vocabulary: every run of words of a country's names, with the countries whose names have it. */
const namePartsByVocabulary = new WeakMap<Vocabulary, Map<string, Set<string>>>();

function countriesNamedWith(vocab: Vocabulary): Map<string, Set<string>> {
  let parts = namePartsByVocabulary.get(vocab);
  if (parts) return parts;
  parts = new Map<string, Set<string>>();
  for (const c of vocab.countries) {
    for (const name of [c.name, ...c.altNames]) {
      const w = words(name);
      for (let i = 0; i < w.length; i++) {
        for (let j = i + 1; j <= w.length; j++) {
          const part = w.slice(i, j).join(' ');
          const owners = parts.get(part) ?? new Set<string>();
          owners.add(c.code);
          parts.set(part, owners);
        }
      }
    }
  }
  namePartsByVocabulary.set(vocab, parts);
  return parts;
}

/** Whether the folded words are part of (or are) a name of another country than `code`. */
function inOtherCountryName(vocab: Vocabulary, code: string, folded: string): boolean {
  const owners = countriesNamedWith(vocab).get(folded);
  return owners !== undefined && [...owners].some((owner) => owner !== code);
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

/** Every tag a query names positively, for explaining tag-only matches. */
export function positiveTags(query: AnalysedQuery): { field: TagField; value: string }[] {
  const out: { field: TagField; value: string }[] = [];
  const visit = (clauses: QueryClause[], negated: boolean): void => {
    for (const c of clauses) {
      for (const u of c.anyOf) {
        if (u.kind === 'tag' && !(negated || c.negated) && !out.some((t) => t.field === u.field && t.value === u.value)) {
          out.push({ field: u.field, value: u.value });
        }
        if (u.kind === 'all') visit(u.clauses, negated || c.negated);
      }
    }
  };
  visit(query.clauses, false);
  return out;
}
