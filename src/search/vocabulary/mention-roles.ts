/**
 * Whether a place named in record text is what the record is about, or only a donor or partner
 * of the work it describes. Catalogue text names funders as often as subjects: "American aid
 * programs in Laos", "funded by the Government of Switzerland", "EU-funded", "agreement for
 * technical cooperation between the United States of America and Bolivia". The cataloguers of
 * such records tag Laos and Bolivia, not the United States; so does Corridor. Pure.
 *
 * A mention is a donor's or partner's when
 * - a role word follows it, maybe after a modifier: "U.S. economic aid", "Swiss funding",
 *   "EU-funded", "Japanese grant", "United States Operations Mission";
 * - a donor or partner cue comes just before it, maybe with "the Government of" and other
 *   donors in between: "funded by the Governments of Norway and Sweden", "with support from the
 *   UK", "in partnership with Canada";
 * - it is one side of an aid relationship ("between X and Y", "Thai-American") in a text about
 *   aid, and it is the side that gives aid (an OECD DAC member) while the other is not.
 * A place is tagged when at least one of its mentions is none of these, or when the record names
 * no place in any other way: a history of "U.S. foreign aid" is about the United States' aid.
 */
import { sentenceBreakBefore, type Match } from './matcher';
import type { Tokens } from './text';

/** Words that, right after a place, make it the giver ("US aid", "Swiss funding"). */
const ROLE_NOUNS: ReadonlySet<string> = new Set([
  'aid', 'assistance', 'funding', 'funds', 'funded', 'financed', 'financing', 'sponsored', 'sponsorship', 'grant', 'grants',
  'loan', 'loans', 'donor', 'donors', 'donation', 'donations', 'contribution', 'contributions', 'supported', 'mission', 'missions',
]);
/** Role words that need a modifier before them to be about aid ("technical cooperation", "operations mission"). */
const MODIFIED_ROLE_NOUNS: ReadonlySet<string> = new Set(['cooperation', 'program', 'programme', 'programs', 'programmes', 'support']);
const ROLE_MODIFIERS: ReadonlySet<string> = new Set([
  'economic', 'technical', 'foreign', 'military', 'financial', 'development', 'developmental', 'bilateral', 'official',
  'humanitarian', 'food', 'emergency', 'government', 'governmental', 'overseas', 'capital', 'operations', 'operation',
  'budget', 'budgetary', 'aid',
]);
const MAX_MODIFIERS = 2;

/** Cues that end just before a donor or partner ("funded by", "with support from"). */
const CUES: readonly (readonly string[])[] = [
  'funded by', 'financed by', 'sponsored by', 'supported by', 'provided by', 'donated by', 'commissioned by',
  'support from', 'support of', 'funding from', 'funds from', 'grant from', 'grants from', 'assistance from', 'aid from',
  'contribution from', 'contributions from', 'contribution of', 'contributions of', 'donation from', 'donations from',
  'generosity of', 'on behalf of', 'in partnership with', 'in collaboration with', 'in cooperation with',
  'donor', 'donors', 'funder', 'funders', 'financial support of', 'with the support of', 'agency of',
].map((c) => c.split(' '));
/** Words allowed between a cue and the place: "funded by the Royal Government of Norway and the Swiss …". */
const CUE_FILLERS: ReadonlySet<string> = new Set([
  'the', 'government', 'governments', 'of', 'people', 'peoples', 'royal', 'embassy', 'embassies', 'kingdom', 'republic',
  'and', 'federal', 'generous', 'kind', 'financial', 'technical', 's', 'its', 'their', 'from', 'such', 'as', 'including',
]);
const CUE_WINDOW = 8;

/** A text is about aid when it uses one of these: only then is a relationship "X and Y" one of giver and receiver. */
const AID_WORDS: ReadonlySet<string> = new Set([
  'aid', 'assistance', 'grant', 'grants', 'loan', 'loans', 'donor', 'donors', 'funded', 'funding', 'financing', 'usaid', 'usom',
]);
/** Two-word terms of aid ("technical cooperation" is aid; "cooperation" alone is not). */
const AID_TERMS: readonly (readonly string[])[] = [['technical', 'cooperation'], ['point', 'four'], ['development', 'cooperation']];

function aboutAid(words: readonly string[]): boolean {
  for (let k = 0; k < words.length; k++) {
    if (AID_WORDS.has(words[k])) return true;
    if (AID_TERMS.some((t) => endsWith(words, k, t))) return true;
  }
  return false;
}

export interface MentionContext {
  /** Whether a country usually gives aid (an OECD DAC member); regions are never givers here. */
  isAidDonor(match: Match): boolean;
}

/** Mentions (by index in `matches`) that name a donor or partner, not a subject. */
export function donorMentions(tokens: Tokens, matches: readonly Match[], context: MentionContext): Set<number> {
  const out = new Set<number>();
  matches.forEach((m, i) => {
    if (followedByRole(tokens, m)) out.add(i);
  });
  for (const group of cuedGroups(tokens, matches)) {
    // "sponsored by the Governments of Liberia and the United States": the receiving government
    // shares in its own programme; the one that gives aid is the donor.
    const givers = group.filter((i) => context.isAidDonor(matches[i]));
    for (const i of givers.length > 0 && givers.length < group.length ? givers : group) out.add(i);
  }
  if (aboutAid(tokens.words)) {
    for (const [a, b] of relationships(tokens, matches)) {
      const donorA = context.isAidDonor(matches[a]);
      const donorB = context.isAidDonor(matches[b]);
      if (donorA && !donorB) out.add(a);
      else if (donorB && !donorA) out.add(b);
    }
  }
  return out;
}

function followedByRole(tokens: Tokens, m: Match): boolean {
  const { words } = tokens;
  let k = m.end;
  let modifiers = 0;
  // Only a role written right after the name: "US-funded", "Swiss funding", not "in Nepal, funded by …".
  while (k < words.length && joined(tokens, k)) {
    const w = words[k];
    if (ROLE_NOUNS.has(w)) return true;
    if (modifiers > 0 && MODIFIED_ROLE_NOUNS.has(w)) return true;
    if (!ROLE_MODIFIERS.has(w) || modifiers >= MAX_MODIFIERS) return false;
    modifiers++;
    k++;
  }
  return false;
}

/**
 * Mentions after a donor or partner cue, grouped by cue: "funded by the Governments of Norway
 * and Sweden" is one group of two.
 */
function cuedGroups(tokens: Tokens, matches: readonly Match[]): number[][] {
  const groups = new Map<number, number[]>();
  matches.forEach((m, i) => {
    const cueEnd = cueBefore(tokens, m, matches);
    if (cueEnd !== undefined) groups.set(cueEnd, [...(groups.get(cueEnd) ?? []), i]);
  });
  return [...groups.values()];
}

/** Where the cue before a mention ends (a token index), maybe across fillers and other places. */
function cueBefore(tokens: Tokens, m: Match, matches: readonly Match[]): number | undefined {
  const { words } = tokens;
  const placeAt = new Map<number, Match>();
  for (const other of matches) placeAt.set(other.end - 1, other);
  let k = m.start - 1;
  for (let steps = 0; k >= 0 && steps < CUE_WINDOW && !breakBefore(tokens, k + 1); steps++) {
    for (const cue of CUES) if (endsWith(words, k, cue)) return k;
    const other = placeAt.get(k);
    if (other) {
      k = other.start - 1;
      continue;
    }
    if (!CUE_FILLERS.has(words[k])) return undefined;
    k--;
  }
  return undefined;
}

/** Only blanks or a hyphen between token k-1 and token k (and the full stop of an abbreviation: "U.S. aid"). */
function joined(tokens: Tokens, k: number): boolean {
  const gap = tokens.text.slice(tokens.ends[k - 1], tokens.starts[k]);
  return /^[\s\-‐‑–]*$/.test(gap) || (tokens.raw[k - 1].length === 1 && /^\.[\s\-‐‑–]*$/.test(gap));
}

/** Pairs of mentions that are the two sides of one relationship: "between X and Y", "X-Y", "X/Y". */
function relationships(tokens: Tokens, matches: readonly Match[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < matches.length; i++) {
    const a = matches[i];
    const b = matches[i + 1];
    const gap = tokens.text.slice(tokens.ends[a.end - 1], tokens.starts[b.start]);
    if (/^\s*[-‐‑–/]\s*$/.test(gap)) {
      pairs.push([i, i + 1]);
      continue;
    }
    if (betweenAnd(tokens, a, b)) pairs.push([i, i + 1]);
  }
  return pairs;
}

/** "between [the Government of] X and [the Government of] Y". */
function betweenAnd(tokens: Tokens, a: Match, b: Match): boolean {
  const { words } = tokens;
  const inner = words.slice(a.end, b.start);
  if (!inner.includes('and') || inner.some((w) => !CUE_FILLERS.has(w))) return false;
  for (let k = a.start - 1, steps = 0; k >= 0 && steps < 5; k--, steps++) {
    if (words[k] === 'between') return true;
    if (!CUE_FILLERS.has(words[k])) return false;
  }
  return false;
}

function endsWith(words: readonly string[], k: number, cue: readonly string[]): boolean {
  if (k - cue.length + 1 < 0) return false;
  for (let j = 0; j < cue.length; j++) if (words[k - cue.length + 1 + j] !== cue[j]) return false;
  return true;
}

/** Roles and cues do not reach across sentence punctuation ("U.S." is one name, not a sentence end). */
function breakBefore(tokens: Tokens, i: number): boolean {
  return i > 0 && i < tokens.words.length && sentenceBreakBefore(tokens, i);
}
