import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import path from 'node:path';
import { findVocabDir, loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { normaliseKey, toWords } from '../../src/search/vocabulary/text';

const vocab = loadVocabulary();
const ROOT = path.resolve(__dirname, '../..');
const SHARED = path.resolve(ROOT, '../shared/data');
const haveShared = fs.existsSync(SHARED);
// The reference data is not part of the project (it is not on a fresh CI machine): without it these
// cross-checks are reported as skipped, with the reason in their names.
const withShared = haveShared ? it : (name: string, fn: () => void) => it.skip(`${name} (skipped: ${SHARED} is not on this machine)`, fn);
if (!haveShared) console.warn(`${SHARED} not found: reference cross-checks are skipped`);

describe('text normalisation', () => {
  it('folds case and diacritics, including letters NFKD leaves alone', () => {
    expect(toWords('Côte d’Ivoire')).toEqual(['cote', 'd', 'ivoire']);
    expect(toWords('TÜRKIYE Åland Øresund Łódź Straße Æsir')).toEqual(['turkiye', 'aland', 'oresund', 'lodz', 'strasse', 'aesir']);
    expect(toWords('Lao People\u0027s Democratic Republic')).toEqual(['lao', 'people', 's', 'democratic', 'republic']);
    expect(toWords('COVID-19, e-mail; ﬁnance')).toEqual(['covid', '19', 'e', 'mail', 'finance']);
  });

  it('treats every apostrophe form alike', () => {
    const forms = ["d'Ivoire", 'd’Ivoire', 'dʼIvoire', 'd`Ivoire'];
    expect(new Set(forms.map(normaliseKey))).toEqual(new Set(['d ivoire']));
  });

  it('folds decomposed input the same as composed input', () => {
    expect(normaliseKey('Co\u0302te')).toBe(normaliseKey('Côte'));
  });

  it('survives hostile text', () => {
    expect(toWords('\u0000\u0001 \ud800 😀 ½ 𝔸𝔹')).toEqual(['1', '2', 'ab']);
  });
});

describe('loading', () => {
  it('finds vocab/ from src and from a compiled dist/ location', () => {
    expect(findVocabDir()).toBe(path.join(ROOT, 'vocab'));
    expect(findVocabDir(path.join(ROOT, 'dist/src/search/vocabulary'))).toBe(path.join(ROOT, 'vocab'));
  });

  it('loads once per directory', () => {
    expect(loadVocabulary()).toBe(vocab);
    expect(loadVocabulary(path.join(ROOT, 'vocab'))).toBe(vocab);
  });

  it('has every country, the regions and at least 30 themes', () => {
    expect(vocab.countries.length).toBeGreaterThanOrEqual(249);
    expect(vocab.themes.length).toBeGreaterThanOrEqual(30);
    for (const id of ['asean', 'gcc', 'saarc', 'un-m49-143', 'ecowas', 'sadc', 'eac', 'igad', 'eu', 'mercosur', 'andean-community', 'arab-states', 'mena', 'un-m49-202', 'un-m49-419', 'pacific-islands', 'gms', 'colombo-process', 'abu-dhabi-dialogue']) {
      expect(vocab.region(id)).toBeDefined();
    }
  });
});

describe('resolveCountry', () => {
  it.each([
    ['NPL', 'NPL'],
    ['npl', 'NPL'],
    ['NP', 'NPL'],
    ['Lao PDR', 'LAO'],
    ['Laos', 'LAO'],
    ["Lao People's Democratic Republic", 'LAO'],
    ['Lao Peoples Democratic Republic', 'LAO'],
    ['Viet Nam', 'VNM'],
    ['vietnam', 'VNM'],
    ['Burma', 'MMR'],
    ['Myanmar', 'MMR'],
    ['Türkiye', 'TUR'],
    ['Turkey', 'TUR'],
    ['turkiye', 'TUR'],
    ["Côte d'Ivoire", 'CIV'],
    ["cote d'ivoire", 'CIV'],
    ['Ivory Coast', 'CIV'],
    ['Kyrgyz Republic', 'KGZ'],
    ['Kyrgyzstan', 'KGZ'],
    ['Republic of Korea', 'KOR'],
    ['South Korea', 'KOR'],
    ['Korea, Rep.', 'KOR'],
    ['DPRK', 'PRK'],
    ['North Korea', 'PRK'],
    ["Korea, Dem. People's Rep.", 'PRK'],
    ['UAE', 'ARE'],
    ['Emirati', 'ARE'],
    ['Hong Kong SAR', 'HKG'],
    ['Hong Kong, China', 'HKG'],
    ['Congo', 'COG'],
    ['Congo-Brazzaville', 'COG'],
    ['DR Congo', 'COD'],
    ['DRC', 'COD'],
    ['Democratic Republic of the Congo', 'COD'],
    ['Niger', 'NER'],
    ['Nigeria', 'NGA'],
    ['Guinea', 'GIN'],
    ['Guinea-Bissau', 'GNB'],
    ['Equatorial Guinea', 'GNQ'],
    ['Papua New Guinea', 'PNG'],
    ['Dominica', 'DMA'],
    ['Dominican Republic', 'DOM'],
    ['Georgia', 'GEO'],
    ['Jordan', 'JOR'],
    ['Nepali', 'NPL'],
    ['Nepalese', 'NPL'],
    ['Filipina', 'PHL'],
    ['Bangladeshi', 'BGD'],
    ['St Lucia', 'LCA'],
    ['Trinidad & Tobago', 'TTO'],
    ['  Kosovo ', 'XKX'],
  ])('%s → %s', (value, code) => {
    expect(vocab.resolveCountry(value)).toBe(code);
  });

  it('returns undefined for what is no country', () => {
    for (const v of ['', 'Atlantis', 'Indian Ocean', 'Congolese', 'XX', '***']) expect(vocab.resolveCountry(v)).toBeUndefined();
  });
});

describe('regions', () => {
  it('resolves ids, labels and names', () => {
    expect(vocab.resolveRegion('asean')).toBe('asean');
    expect(vocab.resolveRegion('South-East Asia')).toBe('asean');
    expect(vocab.resolveRegion('the Gulf')).toBe('gcc');
    expect(vocab.resolveRegion('Gulf Cooperation Council')).toBe('gcc');
    expect(vocab.resolveRegion('South Asia')).toBe('saarc');
    expect(vocab.resolveRegion('Central Asia')).toBe('un-m49-143');
    expect(vocab.resolveRegion('Sub-Saharan Africa')).toBe('un-m49-202');
    expect(vocab.resolveRegion('Gulf')).toBeUndefined();
  });

  it('has memberships that are right as of their date', () => {
    expect([...vocab.region('gcc')!.members].sort()).toEqual(['ARE', 'BHR', 'KWT', 'OMN', 'QAT', 'SAU']);
    const ecowas = vocab.region('ecowas')!;
    expect(ecowas.members).toHaveLength(12);
    for (const gone of ['BFA', 'MLI', 'NER']) expect(ecowas.members).not.toContain(gone);
    expect(ecowas.asOf >= '2025-01-29').toBe(true);
    expect(vocab.region('saarc')!.members).toContain('AFG');
    expect(vocab.region('saarc')!.members).toHaveLength(8);
    expect(vocab.region('eu')!.members).toHaveLength(27);
    expect(vocab.region('eu')!.members).not.toContain('GBR');
    expect(vocab.region('un-m49-143')!.members.sort()).toEqual(['KAZ', 'KGZ', 'TJK', 'TKM', 'UZB']);
    expect(vocab.region('aes')!.members.sort()).toEqual(['BFA', 'MLI', 'NER']);
  });

  it('lists the regions of a country', () => {
    const nepal = vocab.regionsOfCountry('NPL');
    for (const id of ['saarc', 'un-m49-034', 'un-m49-142']) expect(nepal).toContain(id);
    // Consultative processes are never derived from the countries taking part.
    for (const id of ['colombo-process', 'abu-dhabi-dialogue']) expect(nepal).not.toContain(id);
    expect(vocab.regionsOfCountry('npl')).toEqual(nepal);
    expect(vocab.regionsOfCountry('ZZZ')).toEqual([]);
  });
});

describe('themes', () => {
  it('resolves ids, labels, synonyms and spelling variants', () => {
    expect(vocab.resolveTheme('domestic-work')).toBe('domestic-work');
    expect(vocab.resolveTheme('Domestic work')).toBe('domestic-work');
    expect(vocab.resolveTheme('housemaids')).toBe('domestic-work');
    expect(vocab.resolveTheme('labor rights')).toBe('labour-rights');
    expect(vocab.resolveTheme('Labour recruitment and fees')).toBe('recruitment');
    expect(vocab.resolveTheme('forced labor')).toBe('forced-labour');
    expect(vocab.resolveTheme('remittance')).toBe('remittances');
    expect(vocab.resolveTheme('Covid-19')).toBe('covid-19');
    expect(vocab.resolveTheme('labour migration organisation')).toBeUndefined();
  });

  it('covers the themes the portal promises', () => {
    for (const id of ['recruitment', 'domestic-work', 'wage-theft', 'social-protection', 'remittances', 'return-reintegration', 'irregular-migration', 'trafficking', 'forced-labour', 'gender', 'covid-19', 'housing', 'health', 'skills', 'bilateral-agreements', 'statistics', 'diaspora', 'climate-mobility', 'refugees-displacement', 'internal-migration', 'digital-technology', 'seasonal-agricultural', 'construction', 'seafarers-fishers', 'children', 'governance', 'access-to-justice', 'pre-departure', 'fair-recruitment', 'occupational-safety', 'integration', 'smuggling', 'border-management', 'students']) {
      expect(vocab.theme(id)).toBeDefined();
    }
  });

  it('groups only synonyms of the theme itself as equivalents, each in one group', () => {
    for (const t of vocab.themes) {
      const synonyms = new Set(t.synonyms.map(normaliseKey));
      const seen = new Set<string>();
      for (const group of t.equivalents ?? []) {
        expect(group.length).toBeGreaterThan(1);
        for (const name of group) {
          expect({ theme: t.id, name, isSynonym: synonyms.has(normaliseKey(name)) }).toEqual({ theme: t.id, name, isSynonym: true });
        }
        // A name in two groups would join two meanings into one.
        const keys = new Set(group.map(normaliseKey));
        for (const key of keys) expect({ theme: t.id, key, inAnotherGroup: seen.has(key) }).toEqual({ theme: t.id, key, inAnotherGroup: false });
        keys.forEach((k) => seen.add(k));
      }
    }
  });

  it('knows abbreviations and their expansions, and compounds written three ways', () => {
    const same = (a: string, b: string, theme: string): void => {
      expect(vocab.resolveTheme(a)).toBe(theme);
      expect(vocab.themeEquivalents(theme, normaliseKey(a).split(' ')).map((w) => w.join(' '))).toContain(normaliseKey(b));
    };
    same('IDPs', 'internally displaced persons', 'refugees-displacement');
    same('GBV', 'gender-based violence', 'gender');
    same('UASC', 'unaccompanied and separated children', 'children');
    same('anti-trafficking', 'counter-trafficking', 'trafficking');
    same('antitrafficking', 'anti trafficking', 'trafficking');
    same('countertrafficking', 'anti-trafficking', 'trafficking');
    same('predeparture orientation', 'PDOS', 'pre-departure');
    expect(vocab.themeEquivalents('refugees-displacement', ['idps']).map((w) => w.join(' '))).not.toContain('refugees');
  });

  it('has US and UK spellings of the theme synonyms it needs', () => {
    const synonyms = vocab.themes.flatMap((t) => t.synonyms.map(normaliseKey));
    expect(synonyms).toEqual(expect.arrayContaining(['forced labour', 'forced labor', 'labour rights', 'labor rights']));
  });
});

describe('labels and spelling variants', () => {
  it('labels codes and ids, falling back to the value', () => {
    expect(vocab.countryLabel('CIV')).toBe("Côte d'Ivoire");
    expect(vocab.countryLabel('civ')).toBe("Côte d'Ivoire");
    expect(vocab.countryLabel('ZZZ')).toBe('ZZZ');
    expect(vocab.regionLabel('gcc')).toMatch(/Gulf Cooperation Council/);
    expect(vocab.themeLabel('domestic-work')).toBe('Domestic work');
    expect(vocab.themeLabel('nope')).toBe('nope');
  });

  it('gives the other spellings of a word', () => {
    expect(vocab.spellingVariants('labor')).toEqual(['labour']);
    expect(vocab.spellingVariants('Labour')).toEqual(['labor']);
    expect(vocab.spellingVariants('programme')).toEqual(['program']);
    expect(vocab.spellingVariants('organization')).toEqual(['organisation']);
    expect(vocab.spellingVariants('migration')).toEqual([]);
  });
});

describe('vocabulary sanity', () => {
  it('has unique codes and ids', () => {
    const unique = (xs: string[]): void => expect(new Set(xs).size).toBe(xs.length);
    unique(vocab.countries.map((c) => c.code));
    unique(vocab.countries.map((c) => c.iso2));
    unique(vocab.countries.filter((c) => c.m49).map((c) => c.m49!));
    unique(vocab.regions.map((r) => r.id));
    unique(vocab.themes.map((t) => t.id));
  });

  it('never gives one name to two countries, regions or themes', () => {
    const owners = new Map<string, Set<string>>();
    const own = (name: string, owner: string): void => {
      const key = normaliseKey(name);
      owners.set(key, (owners.get(key) ?? new Set()).add(owner));
    };
    for (const c of vocab.countries) for (const n of [c.name, ...c.altNames, ...c.demonyms, ...(c.ambiguousNames ?? [])]) own(n, `country:${c.code}`);
    for (const r of vocab.regions) for (const n of r.names) own(n, `region:${r.id}`);
    for (const t of vocab.themes) for (const n of t.synonyms) own(n, `theme:${t.id}`);
    const shared = [...owners].filter(([, s]) => s.size > 1).map(([k, s]) => `${k}: ${[...s].join(', ')}`);
    expect(shared).toEqual([]);
  });

  it('lists only known countries as region members, each once', () => {
    for (const r of vocab.regions) {
      expect(r.members.filter((m) => !vocab.country(m))).toEqual([]);
      expect(new Set(r.members).size).toBe(r.members.length);
    }
  });

  it('names ambiguous names, language names and variants that exist', () => {
    for (const c of vocab.countries) {
      const keys = new Set([c.name, ...c.altNames, ...c.demonyms].map(normaliseKey));
      for (const n of c.languageNames ?? []) expect({ code: c.code, n, known: keys.has(normaliseKey(n)) }).toEqual({ code: c.code, n, known: true });
      // notNear only qualifies ambiguous names; elsewhere it would be a silent no-op.
      if (c.notNear) expect({ code: c.code, ambiguous: (c.ambiguousNames ?? []).length > 0 }).toEqual({ code: c.code, ambiguous: true });
    }
    for (const r of vocab.regions) {
      const names = new Set(r.names.map(normaliseKey));
      for (const n of r.ambiguousNames ?? []) expect({ id: r.id, n, known: names.has(normaliseKey(n)) }).toEqual({ id: r.id, n, known: true });
    }
    for (const t of vocab.themes) expect(t.synonyms.length).toBeGreaterThan(0);
  });

  withShared('has the UN short name of every country in the other five UN languages', () => {
    const rows = parseCsv(fs.readFileSync(path.join(SHARED, 'sources/hdx_countries_territories_taxonomy.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const columns = { fr: 'French Short', es: 'Spanish Short', ru: 'Russian Short', zh: 'Chinese Short', ar: 'Arabic Short' } as const;
    let checked = 0;
    for (const row of rows) {
      const code = row['ISO 3166-1 Alpha 3-Codes'];
      const names = vocab.otherLanguageNames.get(code) ?? [];
      for (const column of Object.values(columns)) {
        const short = row[column]?.replace(/\s*\(.*?\)\s*/g, ' ').replace(/\s+/g, ' ').trim();
        if (!short || !vocab.country(code) || ['Maurice', 'Guinée', 'Georgia', 'Chad', 'Jordania'].includes(short)) continue;
        expect({ code, short, listed: names.includes(short) }).toEqual({ code, short, listed: true });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(900);
  });

  withShared('uses only IOM and ReliefWeb theme labels that exist', () => {
    const iom = new Set<string>(JSON.parse(fs.readFileSync(path.join(SHARED, 'iom_migration_thematic_areas.json'), 'utf8')) as string[]);
    // IOM's cross-cutting themes, as used in the IOM evaluation repository.
    for (const x of ['Gender', 'Rights-based approach', 'Accountability to affected populations', 'Mainstreaming protection into crisis response', 'Principled humanitarian action', 'Environment']) iom.add(x);
    const reliefweb = new Set(fs.readFileSync(path.join(SHARED, 'sources/reliefweb_themes_2018.csv'), 'utf8').split(/\r?\n/).slice(1).map((l) => l.trim()).filter(Boolean));
    for (const t of vocab.themes) {
      expect({ id: t.id, unknown: t.iom.filter((l) => !iom.has(l)) }).toEqual({ id: t.id, unknown: [] });
      expect({ id: t.id, unknown: t.reliefweb.filter((l) => !reliefweb.has(l)) }).toEqual({ id: t.id, unknown: [] });
    }
  });

  withShared('has every ISO 3166-1 code of the HDX taxonomy, with the same ISO2 and M49 codes', () => {
    const [header, ...rows] = fs.readFileSync(path.join(SHARED, 'sources/hdx_countries_territories_taxonomy.csv'), 'utf8').split(/\r?\n/);
    const cols = header.split(',');
    const at = (name: string): number => cols.indexOf(name);
    const iso3 = at('ISO 3166-1 Alpha 3-Codes');
    const iso2 = at('ISO 3166-1 Alpha 2-Codes');
    const m49 = at('m49 numerical code');
    let checked = 0;
    for (const row of rows) {
      // The columns we need come before any quoted field, so a plain split is enough here.
      const f = row.split(',');
      if (!f[iso3] || !/^[A-Z]{3}$/.test(f[iso3])) continue;
      const c = vocab.country(f[iso3]);
      expect({ code: f[iso3], found: Boolean(c) }).toEqual({ code: f[iso3], found: true });
      expect(c?.iso2).toBe(f[iso2]);
      expect(c?.m49).toBe(f[m49].padStart(3, '0'));
      checked++;
    }
    expect(checked).toBe(249);
  });
});

describe('geography and groupings', () => {
  const tree = vocab.geography();

  it('has the five UN M49 continents at the top, and every geographic region somewhere below them', () => {
    expect(tree.roots.map((id) => vocab.regionLabel(id)).sort()).toEqual(['Africa', 'Americas', 'Asia', 'Europe', 'Oceania']);
    const seen = new Set<string>();
    const walk = (id: string) => {
      seen.add(id);
      for (const child of tree.node(id)!.regions) walk(child);
    };
    tree.roots.forEach(walk);
    expect([...seen].sort()).toEqual(vocab.regions.filter((r) => vocab.isGeography(r.id)).map((r) => r.id).sort());
  });

  it('puts intermediate regions under their sub-region, and countries under the smallest region that lists them', () => {
    expect(tree.parent('un-m49-014')).toBe('un-m49-202'); // Eastern Africa → Sub-Saharan Africa
    expect(tree.parent('un-m49-202')).toBe('un-m49-002'); // → Africa
    expect(tree.parent('un-m49-029')).toBe('un-m49-419'); // Caribbean → Latin America and the Caribbean
    expect(tree.parent('NPL')).toBe('un-m49-034');
    expect(tree.parent('KEN')).toBe('un-m49-014');
    expect(tree.node('un-m49-035')!.countries).toEqual(expect.arrayContaining(['THA', 'LAO', 'VNM']));
    // Every country with a UN M49 region has exactly one place in the tree.
    const placed = vocab.regions.filter((r) => vocab.isGeography(r.id)).flatMap((r) => tree.node(r.id)!.countries);
    expect(new Set(placed).size).toBe(placed.length);
  });

  it('tells geography from groupings: blocs, consultative processes and informal regions', () => {
    expect(vocab.isGeography('un-m49-142')).toBe(true);
    expect(vocab.isGrouping('un-m49-142')).toBe(false);
    for (const id of ['asean', 'gcc', 'ecowas', 'colombo-process', 'abu-dhabi-dialogue', 'mena']) {
      expect([id, vocab.isGrouping(id), vocab.isGeography(id)]).toEqual([id, true, false]);
    }
    expect(vocab.region('colombo-process')?.kind).toBe('process');
    expect(vocab.isGrouping('nope')).toBe(false);
  });
});
