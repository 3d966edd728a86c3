/**
 * The vocabularies in vocab/ (countries, regions, themes, spelling variants), loaded once and
 * indexed for lookups. Pure apart from reading the four JSON files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { editDistance, maxEdits } from '../spelling';
import { completeNames, type NameMatch } from './name-completion';
import { dropInnerThe, nameVariants, type VariantOptions } from './name-variants';
import { normaliseKey, toWords } from './text';
import { buildGeography, type GeographyTree } from './geography';
import {
  GEOGRAPHY_KINDS,
  type CountriesFile,
  type Country,
  type QueryWordsFile,
  type Region,
  type RegionsFile,
  type SpellingVariantsFile,
  type StopwordsFile,
  type Theme,
  type ThemesFile,
  type UnNamesFile,
} from './types';

const strings = z.array(z.string());

const countriesSchema = z.object({
  about: z.string().optional(),
  nonCountryPhrases: strings,
  countries: z.array(
    z.object({
      code: z.string().regex(/^[A-Z]{3}$/),
      iso2: z.string().regex(/^[A-Z]{2}$/),
      m49: z.string().regex(/^\d{3}$/).optional(),
      name: z.string().min(1),
      altNames: strings,
      demonyms: strings,
      ambiguousNames: strings.optional(),
      languageNames: strings.optional(),
      notNear: strings.optional(),
      aidDonor: z.boolean().optional(),
      note: z.string().optional(),
    }),
  ),
});

const regionsSchema = z.object({
  about: z.string().optional(),
  nonRegionPhrases: strings,
  regions: z.array(
    z.object({
      id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
      label: z.string().min(1),
      kind: z.enum(['un-region', 'un-subregion', 'bloc', 'process', 'informal']),
      names: strings,
      members: z.array(z.string().regex(/^[A-Z]{3}$/)),
      asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      ambiguousNames: strings.optional(),
      note: z.string().optional(),
    }),
  ),
});

const themesSchema = z.object({
  about: z.string().optional(),
  nonThemePhrases: strings,
  themes: z.array(
    z.object({
      id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
      label: z.string().min(1),
      synonyms: strings,
      equivalents: z.array(strings).optional(),
      iom: strings,
      reliefweb: strings,
      ambiguousNames: strings.optional(),
      note: z.string().optional(),
    }),
  ),
});

const spellingSchema = z.object({ about: z.string().optional(), groups: z.array(strings) });
const unNamesSchema = z.object({
  about: z.string().optional(),
  countries: z.record(z.string().regex(/^[A-Z]{3}$/), z.object({ fr: strings.optional(), es: strings.optional(), ru: strings.optional(), zh: strings.optional(), ar: strings.optional() })),
});
const queryWordsSchema = z.object({ about: z.string().optional(), groups: z.array(z.partialRecord(z.enum(['en', 'fr', 'es', 'pt', 'ru', 'zh', 'ar']), strings)) });
const stopwordsSchema = z.object({ about: z.string().optional(), words: strings });

export interface VocabularyFiles {
  countries: CountriesFile;
  regions: RegionsFile;
  themes: ThemesFile;
  spelling: SpellingVariantsFile;
  /** Query-time only: names in the other UN languages, cross-language words, stopwords. */
  unNames?: UnNamesFile;
  queryWords?: QueryWordsFile;
  stopwords?: StopwordsFile;
}

/** Adds key → value unless the key is taken: earlier (more authoritative) names win. */
function addKey(map: Map<string, string>, name: string, value: string, options?: VariantOptions): void {
  for (const variant of nameVariants(toWords(name), options)) {
    const key = variant.join(' ');
    if (key && !map.has(key)) map.set(key, value);
  }
}

/** A value as given, or without an inner "the" ("United States of America (the)"), which names carry either way. */
function lookup(keys: ReadonlyMap<string, string>, value: string): string | undefined {
  const words = toWords(value);
  const found = keys.get(words.join(' '));
  if (found !== undefined) return found;
  const shorter = dropInnerThe(words);
  return shorter ? keys.get(shorter.join(' ')) : undefined;
}

export class Vocabulary {
  readonly countries: readonly Country[];
  readonly regions: readonly Region[];
  readonly themes: readonly Theme[];
  readonly nonCountryPhrases: readonly string[];
  readonly nonRegionPhrases: readonly string[];
  readonly nonThemePhrases: readonly string[];

  /** Groups of interchangeable single-word spellings, as in vocab/spelling-variants.json. */
  readonly spellingGroups: readonly (readonly string[])[];
  /** Names in the other UN languages by ISO3 code: recognised in queries, never in record text. */
  readonly otherLanguageNames: ReadonlyMap<string, readonly string[]>;
  private readonly translations = new Map<string, readonly string[]>();
  private readonly stopwords = new Set<string>();
  private readonly countryByCode = new Map<string, Country>();
  private readonly countryByIso2 = new Map<string, Country>();
  private readonly regionById = new Map<string, Region>();
  private readonly themeById = new Map<string, Theme>();
  private readonly countryKeys = new Map<string, string>();
  private readonly regionKeys = new Map<string, string>();
  private readonly themeKeys = new Map<string, string>();
  private readonly variants = new Map<string, readonly string[]>();
  /** Theme id → folded key of any form of a synonym → its equivalence group (folded words of each member). */
  private readonly equivalentGroups = new Map<string, Map<string, string[][]>>();
  /** Theme id → folded keys of every form of the names that stand for the whole theme (namesWholeTheme). */
  private readonly wholeThemeKeys = new Map<string, Set<string>>();
  private readonly regionsByCountry = new Map<string, string[]>();
  private geographyTree: GeographyTree | undefined;

  /** What it was built from (plain data): another thread builds the same vocabulary from it. */
  readonly files: VocabularyFiles;

  constructor(files: VocabularyFiles) {
    this.files = files;
    this.countries = files.countries.countries;
    this.regions = files.regions.regions;
    this.themes = files.themes.themes;
    this.nonCountryPhrases = files.countries.nonCountryPhrases;
    this.nonRegionPhrases = files.regions.nonRegionPhrases;
    this.nonThemePhrases = files.themes.nonThemePhrases;
    this.spellingGroups = files.spelling.groups;

    for (const group of files.spelling.groups) {
      const words = group.map((w) => normaliseKey(w)).filter((w) => w !== '' && !w.includes(' '));
      for (const w of words) this.variants.set(w, words.filter((x) => x !== w));
    }
    for (const group of files.queryWords?.groups ?? []) {
      const fold = (ws: readonly string[] = []): string[] => ws.map((w) => normaliseKey(w)).filter((w) => w !== '' && !w.includes(' '));
      const english = new Set(fold(group.en));
      for (const [language, forms] of Object.entries(group)) {
        if (language === 'en') continue;
        const same = fold(forms);
        // A word of another language finds its English equivalents (and its own other forms); English words are not expanded.
        for (const w of same) {
          if (english.has(w)) continue;
          const targets = [...english, ...same.filter((x) => x !== w)];
          this.translations.set(w, [...new Set([...(this.translations.get(w) ?? []), ...targets])]);
        }
      }
    }
    for (const w of files.stopwords?.words ?? []) this.stopwords.add(normaliseKey(w));
    const otherLanguageNames = new Map<string, string[]>();
    for (const [code, byLanguage] of Object.entries(files.unNames?.countries ?? {})) {
      otherLanguageNames.set(code, Object.values(byLanguage).flat());
    }
    this.otherLanguageNames = otherLanguageNames;
    for (const c of this.countries) {
      this.countryByCode.set(c.code, c);
      this.countryByIso2.set(c.iso2, c);
    }
    // Preferred names first, so that an alternative name of one country never shadows another's name.
    for (const c of this.countries) addKey(this.countryKeys, c.name, c.code);
    for (const c of this.countries) {
      for (const n of [...c.altNames, ...c.demonyms, ...(c.ambiguousNames ?? [])]) addKey(this.countryKeys, n, c.code);
    }
    for (const r of this.regions) {
      this.regionById.set(r.id, r);
      addKey(this.regionKeys, r.label, r.id);
      // A consultative process is a forum its states take part in, not a region they are in: a
      // Thai fishing report is not about the Abu Dhabi Dialogue. Processes are only given or named.
      if (r.kind === 'process') continue;
      for (const m of r.members) {
        const list = this.regionsByCountry.get(m) ?? [];
        list.push(r.id);
        this.regionsByCountry.set(m, list);
      }
    }
    for (const r of this.regions) for (const n of [...r.names, ...(r.ambiguousNames ?? [])]) addKey(this.regionKeys, n, r.id);
    const themeOptions: VariantOptions = { plural: true, compounds: true, spelling: (w) => this.spellingVariants(w) };
    for (const t of this.themes) {
      this.themeById.set(t.id, t);
      addKey(this.themeKeys, t.label, t.id, themeOptions);
    }
    for (const t of this.themes) {
      for (const n of [...t.synonyms, ...(t.ambiguousNames ?? [])]) addKey(this.themeKeys, n, t.id, themeOptions);
    }
    for (const t of this.themes) {
      const byKey = new Map<string, string[][]>();
      for (const group of t.equivalents ?? []) {
        const members = group.map((n) => toWords(n)).filter((w) => w.length > 0);
        for (const n of group) for (const v of nameVariants(toWords(n), themeOptions)) byKey.set(v.join(' '), members);
      }
      this.equivalentGroups.set(t.id, byKey);
      // Names of the whole theme: its label, its first synonym, a synonym of words its label has
      // ("displacement" of "Refugees and displacement", "recruitment fees" of "Labour recruitment
      // and fees"), one a catalogue's crosswalk names it by ("Counter trafficking"), and their equivalents.
      const label = new Set(toWords(t.label));
      const crosswalk = new Set([...t.iom, ...t.reliefweb].map((n) => toWords(n).join(' ')));
      const whole = new Set(nameVariants(toWords(t.label), themeOptions).map((v) => v.join(' ')));
      t.synonyms.forEach((synonym, i) => {
        const words = toWords(synonym);
        const key = words.join(' ');
        if (i > 0 && !words.every((w) => label.has(w)) && !crosswalk.has(key)) return;
        for (const member of byKey.get(key) ?? [toWords(synonym)]) for (const v of nameVariants(member, themeOptions)) whole.add(v.join(' '));
      });
      this.wholeThemeKeys.set(t.id, whole);
    }
  }

  /** Reads and validates the four files of a vocab directory. */
  static fromDirectory(dir: string): Vocabulary {
    const read = <T>(file: string, schema: z.ZodType<T>): T => {
      const full = path.join(dir, file);
      const parsed = schema.safeParse(JSON.parse(fs.readFileSync(full, 'utf8')));
      if (!parsed.success) throw new Error(`${full} is not a valid vocabulary file:\n${z.prettifyError(parsed.error)}`);
      return parsed.data;
    };
    const optional = <T>(file: string, schema: z.ZodType<T>): T | undefined => (fs.existsSync(path.join(dir, file)) ? read(file, schema) : undefined);
    return new Vocabulary({
      countries: read('countries.json', countriesSchema),
      regions: read('regions.json', regionsSchema),
      themes: read('themes.json', themesSchema),
      spelling: read('spelling-variants.json', spellingSchema),
      unNames: optional('country-names-un.json', unNamesSchema),
      queryWords: optional('query-words.json', queryWordsSchema),
      stopwords: optional('stopwords.json', stopwordsSchema),
    });
  }

  /** The country with this ISO 3166-1 alpha-3 code (any case). */
  country(code: string): Country | undefined {
    return this.countryByCode.get(code.toUpperCase());
  }

  region(id: string): Region | undefined {
    return this.regionById.get(id);
  }

  theme(id: string): Theme | undefined {
    return this.themeById.get(id);
  }

  /**
   * ISO3 code for an explicitly given country: ISO3, ISO2, or any name, alternative name or demonym,
   * in any case, with or without diacritics ("cote d'ivoire" → CIV, "Korea, Rep." → KOR).
   * Ambiguous names are accepted here: a value given as a country is a country.
   */
  resolveCountry(value: string): string | undefined {
    const trimmed = value.trim();
    if (/^[A-Za-z]{3}$/.test(trimmed) && this.countryByCode.has(trimmed.toUpperCase())) return trimmed.toUpperCase();
    if (/^[A-Za-z]{2}$/.test(trimmed) && this.countryByIso2.has(trimmed.toUpperCase())) {
      return this.countryByIso2.get(trimmed.toUpperCase())?.code;
    }
    return lookup(this.countryKeys, trimmed);
  }

  /** Region id for an id, label or name ("ASEAN", "the Gulf", "South-East Asia"). */
  resolveRegion(value: string): string | undefined {
    const trimmed = value.trim();
    if (this.regionById.has(trimmed)) return trimmed;
    if (this.regionById.has(trimmed.toLowerCase())) return trimmed.toLowerCase();
    return lookup(this.regionKeys, trimmed);
  }

  /** Theme id for an id, label or synonym ("labor migration policy" → governance). */
  resolveTheme(value: string): string | undefined {
    const trimmed = value.trim();
    if (this.themeById.has(trimmed)) return trimmed;
    if (this.themeById.has(trimmed.toLowerCase())) return trimmed.toLowerCase();
    return lookup(this.themeKeys, trimmed);
  }

  /** True for a UN M49 region or sub-region: a place on the map, the region facet. */
  isGeography(id: string): boolean {
    const r = this.region(id);
    return r !== undefined && GEOGRAPHY_KINDS.includes(r.kind);
  }

  /** True for a bloc, a consultative process or an informal grouping: the grouping facet. */
  isGrouping(id: string): boolean {
    const r = this.region(id);
    return r !== undefined && !GEOGRAPHY_KINDS.includes(r.kind);
  }

  /** Continents → sub-regions → countries (UN M49), built once. */
  geography(): GeographyTree {
    this.geographyTree ??= buildGeography(this.regions);
    return this.geographyTree;
  }

  /** Ids of the regions and blocs that list the country as a member, in vocabulary order (never consultative processes). */
  regionsOfCountry(iso3: string): readonly string[] {
    return this.regionsByCountry.get(iso3.toUpperCase()) ?? [];
  }

  countryLabel(code: string): string {
    return this.country(code)?.name ?? code;
  }

  regionLabel(id: string): string {
    return this.region(id)?.label ?? id;
  }

  themeLabel(id: string): string {
    return this.theme(id)?.label ?? id;
  }

  /**
   * The names that mean the same as `words` (a theme synonym in any of its forms), as folded
   * words, itself included; empty when the synonym is in no group of the theme.
   */
  themeEquivalents(themeId: string, words: readonly string[]): readonly string[][] {
    return this.equivalentGroups.get(themeId)?.get(words.join(' ')) ?? [];
  }

  /**
   * Whether folded words name a theme as a whole (see wholeThemeKeys) rather than a narrower
   * subject it includes ("statelessness" of refugees and displacement, "brain drain" of skills): a
   * query for a narrower subject should not bring every record of the broad theme.
   */
  namesWholeTheme(themeId: string, words: readonly string[]): boolean {
    return this.wholeThemeKeys.get(themeId)?.has(words.join(' ')) ?? false;
  }

  /** Members of a region or bloc (ISO3 codes). */
  regionMembers(id: string): readonly string[] {
    return this.region(id)?.members ?? [];
  }

  /** Whether a folded word is a word of some name of the vocabulary: not a misspelling. */
  isName(folded: string): boolean {
    return this.nameWords().has(folded);
  }

  /**
   * The closest one-word place name or demonym ("philipines" → "Philippines", "bangaldesh" →
   * "Bangladesh"), as the vocabulary writes it; undefined when none is within a few edits.
   */
  closestName(folded: string): string | undefined {
    if (folded.length < 4) return undefined;
    const max = maxEdits(folded);
    let best: { name: string; d: number } | undefined;
    for (const [key, name] of this.singleWordNames()) {
      const d = editDistance(folded, key, max);
      if (d <= max && (!best || d < best.d)) best = { name, d };
    }
    return best?.name;
  }

  private nameWordsCache?: Set<string>;
  private nameWords(): Set<string> {
    if (!this.nameWordsCache) {
      const words = new Set<string>();
      const add = (name: string): void => toWords(name).forEach((w) => words.add(w));
      for (const c of this.countries) [c.name, ...c.altNames, ...c.demonyms, ...(c.ambiguousNames ?? [])].forEach(add);
      for (const r of this.regions) [r.label, ...r.names].forEach(add);
      for (const t of this.themes) [t.label, ...t.synonyms].forEach(add);
      this.nameWordsCache = words;
    }
    return this.nameWordsCache;
  }

  private singleWordNamesCache?: Map<string, string>;
  private singleWordNames(): Map<string, string> {
    if (!this.singleWordNamesCache) {
      const names = new Map<string, string>();
      for (const c of this.countries) {
        for (const n of [c.name, ...c.altNames, ...c.demonyms]) {
          const w = toWords(n);
          if (w.length === 1 && w[0].length >= 4 && !names.has(w[0])) names.set(w[0], n);
        }
      }
      this.singleWordNamesCache = names;
    }
    return this.singleWordNamesCache;
  }

  /** The same word in the other languages of query-words.json ("migrantes" → migrant, migrants, мигранты …); folded. */
  translationsOf(word: string): readonly string[] {
    return this.translations.get(normaliseKey(word)) ?? [];
  }

  /** A function word that a query does not require ("in", "au", "de", "в"). */
  isStopword(word: string): boolean {
    return this.stopwords.has(word);
  }

  /** Countries, regions and themes whose names complete a typed prefix (a completion key), best first. */
  completeNames(prefix: string, limitPerField: number): NameMatch[] {
    return completeNames(this, prefix, limitPerField);
  }

  /** Other spellings of a word ("labor" → ["labour"]); folded; empty when there are none. */
  spellingVariants(word: string): readonly string[] {
    return this.variants.get(normaliseKey(word)) ?? [];
  }
}

/**
 * The vocab directory: the nearest ancestor of this module's directory that holds
 * vocab/countries.json, so the same code works from src/ (tsx, ts-jest) and from dist/src/.
 */
export function findVocabDir(start: string = __dirname): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'vocab');
    if (fs.existsSync(path.join(candidate, 'countries.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`No vocab/countries.json found above ${start}`);
  }
}

const cache = new Map<string, Vocabulary>();

/** The vocabulary of a directory (default: the project's vocab/), loaded once per process. */
export function loadVocabulary(dir?: string): Vocabulary {
  const resolved = path.resolve(dir ?? findVocabDir());
  let vocab = cache.get(resolved);
  if (!vocab) {
    vocab = Vocabulary.fromDirectory(resolved);
    cache.set(resolved, vocab);
  }
  return vocab;
}
