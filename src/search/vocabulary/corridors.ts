/**
 * Migration corridors (origin → destination country pairs) that a record's text states: "Nepali
 * workers in Qatar", "migration from Myanmar to Thailand", "Filipino domestic workers in Hong
 * Kong", "the Mexico–United States corridor". Pure.
 *
 * Precision first: a pair is read only from one of a few sentence shapes in which the direction
 * is explicit, never from two countries merely named together ("Cambodia, Myanmar and Thailand",
 * "between Nepal and Qatar"). The shapes, within one sentence:
 *
 * 1. People of an origin and where they are or go: a demonym (or a country name) before a word for
 *    people ("Nepali migrant workers", "Syrian refugees", "Myanmar migrants", "Venezuelans"), then
 *    within a few words "in", "to", "into", "bound for" … and the destination ("in Qatar", "to
 *    Hong Kong", "in the Turkish labour market"). A list on either side gives every pair.
 * 2. Movement from an origin: "from" after a word of movement or of people within three words
 *    ("migration from", "workers from", "trafficked from"), or at the start of a sentence in a text
 *    about migration ("From Nepal to Qatar: …"), then the destination as above. Transit countries
 *    ("via Yemen") are passed over.
 * 3. People in a destination from an origin: "migrant workers in Thailand from Myanmar".
 * 4. A corridor named as such: "the Nepal–Qatar corridor".
 *
 * Returns, deportations and remittances run the other way: "returnees from Malaysia in Nepal",
 * "deported from Thailand", "remittances from Qatar to Nepal" and the "US–Mexico remittance
 * corridor" all give the migrants' own direction (Nepal → Malaysia, Nepal → Qatar, Mexico → US).
 * Donors and partners ("funded by Switzerland") are never a side of a pair; a pair needs two
 * different countries.
 */
import { sentenceBreakBefore, type Match } from './matcher';
import { nameVariants } from './name-variants';
import { toWords, type Tokens } from './text';
import type { Vocabulary } from './vocabulary';

/** "NPL-QAT": origin and destination ISO 3166-1 alpha-3 codes, the corridor facet's value. */
export type CorridorCode = string;

export function corridorCode(origin: string, destination: string): CorridorCode {
  return `${origin}-${destination}`;
}

/** "Nepal → Qatar" for "NPL-QAT", with the countries' labels; the value itself when it is no corridor. */
export function corridorLabel(code: string, countryLabel: (iso3: string) => string | undefined): string {
  const pair = parseCorridor(code);
  if (!pair) return code;
  return `${countryLabel(pair.origin) ?? pair.origin} → ${countryLabel(pair.destination) ?? pair.destination}`;
}

/** The two codes of a corridor value, or undefined when it is not one. */
export function parseCorridor(code: string): { origin: string; destination: string } | undefined {
  const m = /^([A-Za-z]{3})-([A-Za-z]{3})$/.exec(code);
  return m ? { origin: m[1]!.toUpperCase(), destination: m[2]!.toUpperCase() } : undefined;
}

/** Words for people who move or live abroad: what a demonym or an origin qualifies. */
const PEOPLE = words(`workers worker migrants migrant emigrants emigrant immigrants immigrant refugees refugee
  asylum seekers nationals citizens labourers laborers labour labor workforce employees maids helpers nurses
  caregivers carers fishers fishermen seafarers crew trainees interns students women men girls boys children
  families diaspora community communities returnees returnee deportees victims survivors people persons
  population youth expatriates expats domestics`);
/**
 * Returns and deportations: "from" then names where the migrants were, not where they came from.
 * ("Expelled from" is left out: people are expelled from their own country as often as from a host.)
 */
const RETURN_WORDS = words(`returnees returnee returned returning return returns deported deportation deportations
  deportees repatriated repatriation`);
/** People abroad who are not migrants: "Danish aid workers freed in Somalia". */
const NOT_MIGRANTS = words(`aid humanitarian relief ngo charity peacekeeping peacekeepers embassy consular media cross crescent
  security military`);
/** Money sent home runs from the destination to the origin. */
const REMITTANCE_WORDS = words('remittances remittance transfers money');
/** Words of movement that make "from X" an origin. */
const MOVEMENT = new Set([
  ...PEOPLE,
  ...RETURN_WORDS,
  ...REMITTANCE_WORDS,
  ...words(`migration migrate migrated migrating migrates emigration emigrated emigrating emigrate immigration
    mobility movement movements moving moved move moves flow flows flight fled fleeing flee crossing crossed
    trafficked trafficking smuggled smuggling recruited recruitment deployment deployed sent hired journey
    journeys route routes travel travelling traveling travelled traveled arrivals arriving arrived displaced
    displacement coming came leaving`),
]);
/** A text about migration: where "From X to Y:" opening a title is a corridor, not a range or a history. */
const MIGRATION_CONTEXT = /^(migra|emigra|immigra|worker|labou?r|refugee|remittanc|traffick|recruit|displac|diaspora|asylum|mobility|deport|returnee)/;
/** Prepositions before a destination. */
const DESTINATION_CUES = words('in to into towards toward within inside');
/** Before a destination that is a demonym only: "on Thai fishing boats". */
const ADJECTIVE_ONLY_CUES = words('on aboard');
/** "bound for Malaysia", "recruited for Qatar". */
const FOR_VERBS = words('bound destined headed heading leaving left departing recruited recruitment deployed hired');
/** Before a transit country: "via Yemen", "through Libya". */
const TRANSIT = words('via through transiting transit');
/**
 * Words that end the reach of an origin: a contrast or another relationship begins ("compared
 * with"), help is given rather than people moving ("grateful to Kuwait", "help … to Somalia"), or
 * foreigners are hostages rather than migrants ("kidnapped in Somalia").
 */
const BLOCKERS = words(`but while whereas than compared unlike versus vs not nor instead rather except between with
  help helps helped helping aid assistance assisted donate donates donated donation donations grateful thanks thank
  appeal appeals kidnapped abducted hostage hostages freed`);
/** People in general: "women from Guatemala to Syria" is a range of places, "women from Nepal in Qatar" a corridor. */
const GENERIC_PEOPLE = words('women men girls boys children people persons families youth population community communities');
/** What a demonym may qualify when it names a destination: "in the Turkish labour market", "on Thai fishing boats". */
const DESTINATION_NOUNS = words(`labour labor economy society territory soil cities city towns villages capital provinces
  countryside fishing construction households homes schools farms plantations factories agriculture agricultural
  industry industries sector workplaces companies firms employers`);
/** "and" in the gap must bring more people ("Syrian women and girls … in Iraq"), not another subject. */
const CONJUNCTIONS = words('and or');
/** A people word naming an institution is no people: "Norwegian Refugee Council in South Sudan". */
const INSTITUTIONS = words(`council councils agency agencies committee committees commission organization organisation
  organizations organisations association associations federation union unions office offices ministry ministries
  department board foundation institute institution institutions centre center centres centers network alliance
  forum coalition trust secretariat authority authorities bureau administration fund`);
/** A short field (a title) is its own context; in longer text only the sentence is. */
const SHORT_PART = 30;
/** Function words that end a run of modifiers before the people word. */
const FUNCTION_WORDS = words('in to into from of and or for with by on at the a an as is are was were who which that this');
const CORRIDOR_NOUN = words('corridor corridors');
const CORRIDOR_MODIFIERS = words('migration labour labor remittance remittances');

/** Tokens allowed between the origin and the destination cue. */
const MAX_GAP = 5;
/** Modifiers between a demonym and its people word ("Indonesian migrant domestic workers"). */
const MAX_MODIFIERS = 2;
/** Characters of text kept as the evidence of a pair. */
const EVIDENCE_CHARS = 140;
/** Between a word of movement and its "from": "fled mainly from". */
const ADVERBS = words('mainly mostly directly largely primarily originally recently back home initially');
/** Words before "from" searched for a return or remittance word ("return migration from"). */
const MOVEMENT_WINDOW = 3;

function words(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter((w) => w !== ''));
}

/** How a country is named: its name, an adjective ("Nepali workers"), or its people ("Venezuelans"). */
type Form = 'name' | 'adjective' | 'people';

interface Mention {
  start: number;
  end: number;
  /** Undefined for a region (it may stand in a list, but is no side of a country pair). */
  code?: string;
  form: Form;
}

interface DemonymForms {
  adjective: ReadonlySet<string>;
  people: ReadonlySet<string>;
}

const formsCache = new WeakMap<Vocabulary, DemonymForms>();

/** Folded demonyms of every country: as adjectives ("nepali") and as plural nouns ("nepalis", "filipinos"). */
function demonymForms(vocab: Vocabulary): DemonymForms {
  let forms = formsCache.get(vocab);
  if (forms) return forms;
  const adjective = new Set<string>();
  const people = new Set<string>();
  for (const c of vocab.countries) {
    const names = new Set([c.name, ...c.altNames, ...(c.ambiguousNames ?? [])].flatMap((n) => nameVariants(toWords(n)).map((v) => v.join(' '))));
    for (const d of c.demonyms) {
      const base = nameVariants(toWords(d)).map((v) => v.join(' '));
      for (const key of base) if (!names.has(key)) adjective.add(key);
      for (const v of nameVariants(toWords(d), { plural: true })) {
        const key = v.join(' ');
        if (!base.includes(key) && !names.has(key)) people.add(key);
      }
    }
  }
  // A listed plural ("Filipinos") is the people, whatever else lists it.
  for (const key of people) adjective.delete(key);
  forms = { adjective, people };
  formsCache.set(vocab, forms);
  return forms;
}

/**
 * Corridors stated in one field's text. `places` are the geographic matches of its tokens (see
 * matcher.ts), `donors` the indices of those that name a donor or partner (mention-roles.ts).
 * Codes in order of first mention, each once.
 */
export function corridorsIn(vocab: Vocabulary, tokens: Tokens, places: readonly Match[], donors: ReadonlySet<number>): CorridorCode[] {
  const countryMentions = places.filter((m, i) => !donors.has(i) && m.targets.length === 1 && m.targets[0]!.field === 'countries');
  if (countryMentions.length < 2) return [];
  return new CorridorReader(vocab, tokens, places, donors).read();
}

/** What the evaluation prints for a person to check: each pair with the words that state it. */
export interface CorridorEvidence {
  code: CorridorCode;
  text: string;
}

/** Corridors of one piece of text with their evidence (see corridorsIn; for evaluation and debugging). */
export function corridorEvidence(vocab: Vocabulary, tokens: Tokens, places: readonly Match[], donors: ReadonlySet<number>): CorridorEvidence[] {
  const reader = new CorridorReader(vocab, tokens, places, donors);
  reader.read();
  return reader.codes.map((code, i) => ({ code, text: reader.evidence[i] ?? '' }));
}

class CorridorReader {
  private readonly words: readonly string[];
  private readonly at = new Map<number, Mention>();
  private readonly found: CorridorCode[] = [];
  /** For each found code, the text that states it (from where its words begin). */
  readonly evidence: string[] = [];
  private readonly migrationText: boolean;
  /** An all-capitals text has no acronyms to tell apart. */
  private readonly hasLowerCase: boolean;

  constructor(
    vocab: Vocabulary,
    private readonly tokens: Tokens,
    places: readonly Match[],
    donors: ReadonlySet<number>,
  ) {
    this.words = tokens.words;
    const forms = demonymForms(vocab);
    places.forEach((m, i) => {
      const country = m.targets.length === 1 && m.targets[0]!.field === 'countries' ? m.targets[0]!.value : undefined;
      const regionOnly = m.targets.every((t) => t.field === 'regions');
      // A donor, or a name that is several places at once, is a place but no side of a pair.
      const code = donors.has(i) ? undefined : country;
      if (code === undefined && !regionOnly && !donors.has(i)) return;
      const key = this.words.slice(m.start, m.end).join(' ');
      const form: Form = forms.people.has(key) ? 'people' : forms.adjective.has(key) ? 'adjective' : 'name';
      this.at.set(m.start, { start: m.start, end: m.end, code, form });
    });
    this.migrationText = this.words.some((w) => MIGRATION_CONTEXT.test(w));
    this.hasLowerCase = /\p{Ll}/u.test(tokens.text);
  }

  get codes(): readonly CorridorCode[] {
    return this.found;
  }

  read(): CorridorCode[] {
    for (let k = 0; k < this.words.length; k++) {
      const mention = this.at.get(k);
      if (mention) {
        this.peopleOf(mention);
        this.namedCorridor(mention);
      }
      if (this.words[k] === 'from') this.movementFrom(k);
      if (this.words[k] === 'in') this.peopleInFrom(k);
    }
    return this.found;
  }

  /** `at`: the token where the words stating the pair begin (for evidence). */
  private add(origins: readonly string[], destinations: readonly string[], at: number): void {
    for (const o of origins) {
      for (const d of destinations) {
        const code = corridorCode(o, d);
        if (o === d || this.found.includes(code)) continue;
        this.found.push(code);
        this.evidence.push(this.tokens.text.slice(this.tokens.starts[at], this.tokens.starts[at]! + EVIDENCE_CHARS));
      }
    }
  }

  private breakBefore(i: number): boolean {
    return i > 0 && i < this.words.length && sentenceBreakBefore(this.tokens, i);
  }

  /** The gap between token i-1 and token i as written. */
  private gap(i: number): string {
    return this.tokens.text.slice(this.tokens.ends[i - 1], this.tokens.starts[i]);
  }

  /**
   * A list of places from token i: "Oman and the United Arab Emirates", "Cambodia, Lao PDR and
   * Myanmar". `accept` decides which forms may stand in it; a destination list may repeat its
   * preposition ("in Qatar and in Oman"). Returns the countries (a region may stand in the list
   * but gives none) and the token after the list; undefined when no place starts there.
   */
  private list(i: number, accept: (m: Mention) => boolean, destination = false): { codes: string[]; end: number } | undefined {
    let k = i;
    while (k < this.words.length && this.words[k] === 'the' && !this.breakBefore(k)) k++;
    if (k > i && this.breakBefore(k)) return undefined;
    const codes: string[] = [];
    let end = -1;
    for (let m = this.at.get(k); m && accept(m); m = this.at.get(k)) {
      if (m.code && !codes.includes(m.code)) codes.push(m.code);
      end = m.end;
      let j = end;
      let joined = false;
      while (j < this.words.length && !this.at.has(j) && this.joiner(this.words[j], joined, destination)) {
        if (this.words[j] === 'and' || this.words[j] === 'or') joined = true;
        j++;
      }
      if (!this.separatedOnlyByListMarks(end, j)) break;
      // Two names side by side with nothing between them are no list.
      if (j === end && !/[,/&]/.test(this.gap(j))) break;
      k = j;
    }
    return end < 0 ? undefined : { codes, end };
  }

  private joiner(word: string, afterAnd: boolean, destination: boolean): boolean {
    if (word === 'and' || word === 'or' || word === 'the' || word === 'as' || word === 'well') return true;
    return destination && afterAnd && DESTINATION_CUES.has(word);
  }

  /** Only blanks, commas, slashes and ampersands from token `from` to token `to` (an abbreviation's full stop too: "the U.S. and Canada"). */
  private separatedOnlyByListMarks(from: number, to: number): boolean {
    for (let t = from; t <= to && t < this.words.length; t++) {
      if (t === 0) continue;
      const gap = this.gap(t);
      if (/^[\s,/&]*$/.test(gap)) continue;
      if (this.tokens.raw[t - 1]!.length === 1 && /^\.[\s,]*$/.test(gap)) continue;
      return false;
    }
    return true;
  }

  /** A destination list after a cue at token `cue`, or undefined. */
  private destinationAfter(cue: number): { codes: string[]; end: number } | undefined {
    const word = this.words[cue];
    const adjectiveOnly = ADJECTIVE_ONLY_CUES.has(word);
    return this.list(cue + 1, (m) => this.destinationForm(m, adjectiveOnly), true);
  }

  /** A destination is a name, or an adjective before a thing ("Turkish labour market"), never a people. */
  private destinationForm(m: Mention, adjectiveOnly: boolean): boolean {
    if (m.form === 'people') return false;
    // "the UAE-Jordanian camp", "the Thai-Myanmar border": a compound modifier, not where people are.
    if (m.end < this.words.length && /^[-‐‑–]$/.test(this.gap(m.end))) return false;
    if (m.form === 'name') return !adjectiveOnly;
    const next = this.words[m.end];
    return next !== undefined && !this.breakBefore(m.end) && DESTINATION_NOUNS.has(next);
  }

  /**
   * The destination after an origin ending at token `from`: the first cue within MAX_GAP tokens
   * that is followed by places. Undefined when another place, a contrast or a sentence end comes
   * first. `returning`: "from" is a cue too ("returnees from Malaysia").
   */
  private destination(from: number, returning: boolean, returnsInGap = returning): { codes: string[]; end: number; cue: string } | undefined {
    let back = returning;
    for (let k = from, scanned = 0; k < this.words.length && scanned <= MAX_GAP; k++, scanned++) {
      if (this.breakBefore(k)) return undefined;
      const w = this.words[k];
      const place = this.at.get(k);
      if (place) {
        // A transit country is passed over: "from Ethiopia via Yemen to Saudi Arabia".
        if (k > 0 && TRANSIT.has(this.words[k - 1])) {
          k = place.end - 1;
          continue;
        }
        return undefined;
      }
      if (BLOCKERS.has(w) || NOT_MIGRANTS.has(w)) return undefined;
      if (CONJUNCTIONS.has(w) && !this.peopleWithin(k + 1, 2)) return undefined;
      if (RETURN_WORDS.has(w) && returnsInGap) back = true;
      const isCue =
        DESTINATION_CUES.has(w) ||
        ADJECTIVE_ONLY_CUES.has(w) ||
        (w === 'for' && k > 0 && FOR_VERBS.has(this.words[k - 1])) ||
        (w === 'from' && back);
      if (w === 'from' && !back) return undefined;
      if (!isCue) continue;
      const list = this.destinationAfter(k);
      if (list) return list.codes.length > 0 ? { ...list, cue: w } : undefined;
    }
    return undefined;
  }

  /** Shape 1: "Nepali [and Bangladeshi] migrant workers in Qatar", "Venezuelans in Colombia", "Myanmar migrants in Thailand". */
  private peopleOf(first: Mention): void {
    if (!first.code) return;
    // "Nepali and Bangladeshi workers", "Venezuelans and Colombians": a list of one kind of form.
    const people = first.form === 'people';
    const origins = this.list(first.start, (m) => (m.form === 'people') === people);
    if (!origins || origins.codes.length === 0) return;
    const last = this.at.get(this.lastMentionStart(first.start, origins.end));
    if (!last) return;
    let k = origins.end;
    let returning = false;
    if (last.form !== 'people') {
      // "Djibouti, Refugees in Somalia": only a people word written right after the name qualifies.
      if (!/^[\s\-‐‑–]*$/.test(this.gap(k))) return;
      // The people word, after at most a few modifiers: "Indonesian Migrant Domestic Workers".
      let modifiers = 0;
      while (k < this.words.length && !PEOPLE.has(this.words[k])) {
        const w = this.words[k];
        if (modifiers >= MAX_MODIFIERS || FUNCTION_WORDS.has(w) || this.at.has(k) || this.breakBefore(k) || /^\d+$/.test(w)) return;
        // A name as origin needs the people word straight after it ("Myanmar migrants", not "Thailand fishing workers").
        if (last.form === 'name') return;
        if (RETURN_WORDS.has(w)) returning = true;
        if (NOT_MIGRANTS.has(w) || this.acronym(k)) return;
        modifiers++;
        k++;
      }
      if (k >= this.words.length || this.breakBefore(k)) return;
      // The people word may run on: "migrant workers", "asylum seekers".
      while (k < this.words.length && PEOPLE.has(this.words[k]) && !this.breakBefore(k)) {
        if (RETURN_WORDS.has(this.words[k])) returning = true;
        k++;
      }
    }
    if (k < this.words.length && INSTITUTIONS.has(this.words[k]) && !this.breakBefore(k)) return;
    const destinations = this.destination(k, returning, true);
    if (destinations) this.add(origins.codes, destinations.codes, first.start);
  }

  /** An organisation's acronym ("UNICEF worker", "UN staff"): staff of an agency, not migrants. */
  private acronym(k: number): boolean {
    const raw = this.tokens.raw[k]!;
    return raw.length >= 2 && /^[A-Z]+$/.test(raw) && this.hasLowerCase;
  }

  private lastMentionStart(from: number, end: number): number {
    let last = from;
    for (let k = from; k < end; k++) if (this.at.has(k)) last = k;
    return last;
  }

  /** Shape 2: "migration from Myanmar to Thailand", "workers from Nepal building stadiums in Qatar", "From Nepal to Qatar:". */
  private movementFrom(k: number): void {
    // The word "from" belongs to: "migrants from", "flee mainly from"; not "countries from".
    let head = k - 1;
    while (head > 0 && ADVERBS.has(this.words[head]) && !this.breakBefore(head + 1)) head--;
    const headWord = head >= 0 && !this.breakBefore(head + 1) ? this.words[head] : undefined;
    const moving = headWord !== undefined && MOVEMENT.has(headWord);
    const onlyPeople = moving && GENERIC_PEOPLE.has(headWord);
    let reverse = false;
    for (let j = k - 1; j >= 0 && j >= k - MOVEMENT_WINDOW && !this.breakBefore(j + 1); j--) {
      if (RETURN_WORDS.has(this.words[j]) || REMITTANCE_WORDS.has(this.words[j])) reverse = true;
    }
    const opensSentence = k === 0 || this.breakBefore(k);
    if (!moving && !(opensSentence && this.aboutMigration(k))) return;
    const origins = this.list(k + 1, (m) => m.form === 'name');
    if (!origins || origins.codes.length === 0) return;
    const destinations = this.destination(origins.end, false);
    if (!destinations || this.enumeration(destinations.end)) return;
    // "the rape of women from Guatemala to Syria": people in general "from … to …" are a range.
    if (moving && onlyPeople && !['in', 'within', 'inside'].includes(destinations.cue)) return;
    if (reverse) this.add(destinations.codes, origins.codes, k);
    else this.add(origins.codes, destinations.codes, k);
  }

  /** Whether the words around token k are about migration: the whole field when it is short (a title), else its sentence. */
  private aboutMigration(k: number): boolean {
    if (this.words.length <= SHORT_PART) return this.migrationText;
    let start = k;
    while (start > 0 && !this.breakBefore(start)) start--;
    for (let j = start; j < this.words.length && (j === start || !this.breakBefore(j)); j++) {
      if (MIGRATION_CONTEXT.test(this.words[j])) return true;
    }
    return false;
  }

  /**
   * "From Syria to Yemen to South Sudan", "from Syria to Sierra Leone and from Mexico to …": a
   * range of examples, not a movement. `end` is the token after the destination list.
   */
  private enumeration(end: number): boolean {
    if (end >= this.words.length || this.breakBefore(end)) return false;
    const next = this.words[end];
    if (next === 'to') return this.at.has(end + 1) || (this.words[end + 1] === 'the' && this.at.has(end + 2));
    return next === 'and' && this.words[end + 1] === 'from';
  }

  /** Whether a people word is among the `n` tokens from k. */
  private peopleWithin(k: number, n: number): boolean {
    for (let j = k; j < k + n && j < this.words.length; j++) if (PEOPLE.has(this.words[j])) return true;
    return false;
  }

  /** Shape 3: "migrant workers in Thailand from Myanmar". */
  private peopleInFrom(k: number): void {
    let people = false;
    for (let j = k - 1; j >= 0 && j >= k - 2 && !this.breakBefore(j + 1); j--) if (PEOPLE.has(this.words[j])) people = true;
    if (!people || (k > 0 && this.at.has(k - 1)) || this.precededByOrigin(k)) return;
    const destinations = this.list(k + 1, (m) => m.form === 'name');
    if (!destinations || this.words[destinations.end] !== 'from' || this.breakBefore(destinations.end)) return;
    const origins = this.list(destinations.end + 1, (m) => m.form === 'name');
    if (origins) this.add(origins.codes, destinations.codes, k);
  }

  /** Whether the people before token k already have an origin of their own ("Nepali workers in …"). */
  private precededByOrigin(k: number): boolean {
    for (let j = k - 1; j >= 0 && j >= k - 1 - MAX_MODIFIERS - 1 && !this.breakBefore(j + 1); j--) {
      if (this.at.has(j) || this.words[j] === 'from') return true;
    }
    return false;
  }

  /** Shape 4: "the Nepal–Qatar corridor", "the US–Mexico remittance corridor" (remittances: the other way). */
  private namedCorridor(a: Mention): void {
    if (!a.code || a.form !== 'name') return;
    const between = this.gap(a.end);
    const b = this.at.get(a.end);
    if (!b || !b.code || b.form !== 'name' || !/^\s*[-‐‑–—/]\s*$/.test(between)) return;
    let k = b.end;
    let remittance = false;
    for (let steps = 0; k < this.words.length && steps < 2 && CORRIDOR_MODIFIERS.has(this.words[k]); steps++, k++) {
      if (REMITTANCE_WORDS.has(this.words[k])) remittance = true;
    }
    if (k >= this.words.length || !CORRIDOR_NOUN.has(this.words[k])) return;
    if (remittance) this.add([b.code], [a.code], a.start);
    else this.add([a.code], [b.code], a.start);
  }
}
