/** Shapes of the vocabulary files in vocab/ (countries, regions, themes, spelling variants). */

export interface Country {
  /** ISO 3166-1 alpha-3, upper case: the id used everywhere in Corridor. */
  code: string;
  /** ISO 3166-1 alpha-2. */
  iso2: string;
  /** UN M49 numeric code, when it has one. */
  m49?: string;
  /** Display name: the UN/ReliefWeb short form where the literature uses one ("Lao PDR", "Viet Nam"), see vocab/README.md. */
  name: string;
  /** Official, common and alternative names and spellings ("Lao People's Democratic Republic", "Burma"). */
  altNames: string[];
  /** Demonyms and adjectival forms ("Nepali", "Filipino", "Filipina"). */
  demonyms: string[];
  /**
   * Names that are also common words or person names ("Jordan", "Georgia", "Chad", "Guinea" in
   * "Papua New Guinea"): matched in free text only with supporting context; always matched when
   * given explicitly as a country of a record or selected in a query.
   */
  ambiguousNames?: string[];
  /**
   * Names (usually demonyms) that are also language names ("French", "Nepali"): not taken as the
   * country in "in French", "French-speaking", "Spanish version" and the like.
   */
  languageNames?: string[];
  /** Folded words that, within a few words of an ambiguous name, mean it is not this country ("Atlanta" for Georgia). */
  notNear?: string[];
  /** A member of the OECD Development Assistance Committee: in a text about aid, the giving side of a relationship. */
  aidDonor?: boolean;
  note?: string;
}

export type RegionKind = 'un-region' | 'un-subregion' | 'bloc' | 'process' | 'informal';

/** The kinds that are places on the UN M49 map rather than groupings of countries. */
export const GEOGRAPHY_KINDS: readonly RegionKind[] = ['un-region', 'un-subregion'];

export interface Region {
  /** Stable id, lower-case, e.g. "asean", "gcc", "south-asia", "un-m49-035". */
  id: string;
  label: string;
  /**
   * UN M49 regions and sub-regions (intermediate regions included) are the region facet, shown
   * as a hierarchy; blocs, regional consultative processes and informal groupings are the grouping
   * facet. 'process': a regional consultative process on migration (Colombo Process, Budapest
   * Process): tagged only when given or named, never derived from the countries taking part.
   */
  kind: RegionKind;
  /** Names and abbreviations that name the region in text ("the Gulf", "GCC", "Gulf States"). */
  names: string[];
  /** ISO3 codes of members. */
  members: string[];
  /** Date the membership list was checked (YYYY-MM-DD). */
  asOf: string;
  /** Names matched in free text only when written exactly so (acronyms that are also words: "CAN", "AU"). */
  ambiguousNames?: string[];
  note?: string;
}

export interface Theme {
  /** Stable id, lower-case kebab, e.g. "domestic-work". */
  id: string;
  label: string;
  /** Synonyms and spelling variants that name the theme in text. */
  synonyms: string[];
  /**
   * Groups of synonyms that mean the same thing ("IDPs", "internally displaced persons"): a query
   * for one also matches the others as text. Synonyms in no group stand for themselves (and the tag).
   */
  equivalents?: string[][];
  /** Crosswalk to IOM migration thematic areas (labels as in IOM's vocabulary). */
  iom: string[];
  /** Crosswalk to ReliefWeb themes (labels). */
  reliefweb: string[];
  /** Synonyms matched in free text only when written exactly so ("AIDS", not "aids"). */
  ambiguousNames?: string[];
  note?: string;
}

/** vocab/countries.json */
export interface CountriesFile {
  about?: string;
  /** Phrases that contain a country name or demonym but do not name it ("Indian Ocean", "New Guinea"). */
  nonCountryPhrases: string[];
  countries: Country[];
}

/** vocab/regions.json */
export interface RegionsFile {
  about?: string;
  /** Phrases that contain a region name but do not name it ("the Gulf of Mexico"). */
  nonRegionPhrases: string[];
  regions: Region[];
}

/** vocab/themes.json */
export interface ThemesFile {
  about?: string;
  /** Phrases that contain a theme synonym but are not the theme ("drug trafficking"). */
  nonThemePhrases: string[];
  themes: Theme[];
}

/** vocab/country-names-un.json: names and demonyms in the other UN languages, by ISO3 code. */
export interface UnNamesFile {
  about?: string;
  countries: Record<string, Partial<Record<'fr' | 'es' | 'ru' | 'zh' | 'ar', string[]>>>;
}

/** vocab/query-words.json: groups of words that mean the same, by language (en, fr, es, pt, ru, zh, ar). */
export interface QueryWordsFile {
  about?: string;
  groups: Record<string, string[]>[];
}

/** vocab/stopwords.json: function words that a query does not require. */
export interface StopwordsFile {
  about?: string;
  words: string[];
}

/** vocab/spelling-variants.json: groups of interchangeable single-word spellings. */
export interface SpellingVariantsFile {
  about?: string;
  groups: string[][];
}

/** Tags found in a piece of text. */
export interface FoundTags {
  countries: string[];
  regions: string[];
  themes: string[];
  /** Origin → destination pairs the text states ("NPL-QAT"), see corridors.ts; absent: none looked for. */
  corridors?: string[];
}
