/**
 * Writes vocab/country-names-un.json: each country's names in the other five UN languages
 * (French, Spanish, Russian, Chinese, Arabic), for queries typed in those languages. The UN short
 * names come from the OCHA HDX countries and territories taxonomy in ../shared/data (MIT); the
 * common forms people type ("Russie", "Россия", "Corée du Sud") and the demonyms of the countries
 * labour migration is written about ("venezolanos", "népalais", "филиппинцы") are added here by
 * hand. Run: npx tsx scripts/vocab/import-un-names.ts (when ../shared/data is present); the output
 * is committed and maintained like the other vocabulary files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

const ROOT = path.resolve(__dirname, '..', '..');
const HDX = path.resolve(ROOT, '..', 'shared', 'data', 'sources', 'hdx_countries_territories_taxonomy.csv');
const OUT = path.join(ROOT, 'vocab', 'country-names-un.json');
const LANGS = ['fr', 'es', 'ru', 'zh', 'ar'] as const;
type Lang = (typeof LANGS)[number];
const COLUMNS: Record<Lang, string[]> = {
  fr: ['French Short', 'M49 French'],
  es: ['Spanish Short', 'M49 Spanish'],
  ru: ['Russian Short', 'M49 Russian'],
  zh: ['Chinese Short', 'M49 Chinese'],
  ar: ['Arabic Short', 'M49 Arabic'],
};

/** Common names and demonyms (masculine/feminine, singular/plural) by country and language. */
const EXTRA: Record<string, Partial<Record<Lang, string[]>>> = {
  AFG: { fr: ['afghan', 'afghane', 'afghans', 'afghanes'], es: ['afgano', 'afgana', 'afganos', 'afganas'], ru: ['афганцы', 'афганских'] },
  BGD: { fr: ['bangladais', 'bangladaise', 'bangladaises'], es: ['bangladesí', 'bangladesíes'], ru: ['бангладешцы'] },
  BOL: { fr: ['bolivien', 'bolivienne', 'boliviens', 'boliviennes'], es: ['boliviano', 'boliviana', 'bolivianos', 'bolivianas', 'Bolivia'] },
  BRA: { fr: ['brésilien', 'brésilienne', 'brésiliens', 'brésiliennes'], es: ['brasileño', 'brasileña', 'brasileños', 'brasileñas'] },
  CHN: { fr: ['chinois', 'chinoise', 'chinoises'], es: ['chino', 'china', 'chinos', 'chinas'], ru: ['Китай', 'китайцы', 'китайские'], zh: ['中国'], ar: ['الصين'] },
  COL: { fr: ['colombien', 'colombienne', 'colombiens', 'colombiennes'], es: ['colombiano', 'colombiana', 'colombianos', 'colombianas'] },
  CIV: { fr: ['ivoirien', 'ivoirienne', 'ivoiriens', 'ivoiriennes'], es: ['marfileño', 'marfileña', 'marfileños', 'marfileñas', 'Costa de Marfil'] },
  ECU: { fr: ['équatorien', 'équatorienne', 'équatoriens', 'équatoriennes'], es: ['ecuatoriano', 'ecuatoriana', 'ecuatorianos', 'ecuatorianas'] },
  EGY: { fr: ['égyptien', 'égyptienne', 'égyptiens', 'égyptiennes'], es: ['egipcio', 'egipcia', 'egipcios', 'egipcias'] },
  ETH: { fr: ['éthiopien', 'éthiopienne', 'éthiopiens', 'éthiopiennes'], es: ['etíope', 'etíopes'] },
  GHA: { fr: ['ghanéen', 'ghanéenne', 'ghanéens', 'ghanéennes'], es: ['ghanés', 'ghanesa', 'ghaneses'] },
  GTM: { fr: ['guatémaltèque', 'guatémaltèques'], es: ['guatemalteco', 'guatemalteca', 'guatemaltecos', 'guatemaltecas'] },
  HND: { fr: ['hondurien', 'hondurienne', 'honduriens', 'honduriennes'], es: ['hondureño', 'hondureña', 'hondureños', 'hondureñas'] },
  HTI: { fr: ['haïtien', 'haïtienne', 'haïtiens', 'haïtiennes'], es: ['haitiano', 'haitiana', 'haitianos', 'haitianas'] },
  IDN: { fr: ['indonésien', 'indonésienne', 'indonésiens', 'indonésiennes'], es: ['indonesio', 'indonesia', 'indonesios', 'indonesias'], ru: ['индонезийцы'] },
  IND: { fr: ['indien', 'indienne', 'indiens', 'indiennes'], es: ['indio', 'india', 'indios', 'indias', 'hindú'], ru: ['индийцы', 'индийские'] },
  IRQ: { fr: ['irakien', 'irakienne', 'irakiens', 'irakiennes'], es: ['iraquí', 'iraquíes'] },
  JOR: { fr: ['jordanien', 'jordanienne', 'jordaniens', 'jordaniennes'], es: ['jordano', 'jordana', 'jordanos', 'jordanas'] },
  KAZ: { ru: ['Казахстан', 'казахи'], fr: ['kazakh', 'kazakhe', 'kazakhs'] },
  KGZ: { ru: ['Киргизия', 'Кыргызстан', 'киргизы', 'кыргызы'], fr: ['kirghize', 'kirghizes'] },
  KHM: { fr: ['cambodgien', 'cambodgienne', 'cambodgiens', 'cambodgiennes'], es: ['camboyano', 'camboyana', 'camboyanos', 'camboyanas'] },
  KOR: { fr: ['Corée du Sud', 'Corée', 'coréen', 'coréenne', 'coréens', 'coréennes'], es: ['Corea del Sur', 'Corea', 'coreano', 'coreana', 'coreanos', 'coreanas'], ru: ['Южная Корея', 'Корея'], zh: ['韩国'], ar: ['كوريا الجنوبية'] },
  LAO: { fr: ['Laos', 'laotien', 'laotienne', 'laotiens', 'laotiennes'], es: ['Laos', 'laosiano', 'laosiana', 'laosianos', 'laosianas'], ru: ['Лаос'], zh: ['老挝'] },
  LBN: { fr: ['libanais', 'libanaise', 'libanaises'], es: ['libanés', 'libanesa', 'libaneses', 'libanesas'], ru: ['Ливан'] },
  LKA: { fr: ['sri-lankais', 'sri-lankaise', 'sri-lankaises'], es: ['esrilanqués', 'esrilanquesa', 'esrilanqueses'] },
  MAR: { fr: ['marocain', 'marocaine', 'marocains', 'marocaines'], es: ['marroquí', 'marroquíes'] },
  MDA: { ru: ['Молдова', 'Молдавия', 'молдаване'] },
  MEX: { fr: ['mexicain', 'mexicaine', 'mexicains', 'mexicaines'], es: ['mexicano', 'mexicana', 'mexicanos', 'mexicanas'] },
  MLI: { fr: ['malien', 'malienne', 'maliens', 'maliennes'], es: ['maliense', 'malienses'] },
  MMR: { fr: ['Birmanie', 'birman', 'birmane', 'birmans', 'birmanes'], es: ['Birmania', 'birmano', 'birmana', 'birmanos', 'birmanas'], ru: ['Мьянма', 'Бирма'], zh: ['缅甸'] },
  MYS: { fr: ['malaisien', 'malaisienne', 'malaisiens', 'malaisiennes'], es: ['malasio', 'malasia', 'malasios', 'malasias'] },
  NER: { fr: ['nigérien', 'nigérienne', 'nigériens', 'nigériennes'], es: ['nigerino', 'nigerina', 'nigerinos', 'nigerinas'] },
  NGA: { fr: ['nigérian', 'nigériane', 'nigérians', 'nigérianes'], es: ['nigeriano', 'nigeriana', 'nigerianos', 'nigerianas'] },
  NIC: { fr: ['nicaraguayen', 'nicaraguayenne', 'nicaraguayens', 'nicaraguayennes'], es: ['nicaragüense', 'nicaragüenses'] },
  NPL: { fr: ['népalais', 'népalaise', 'népalaises'], es: ['nepalí', 'nepalíes', 'nepalés', 'nepaleses'], ru: ['непальцы', 'непальские'] },
  PAK: { fr: ['pakistanais', 'pakistanaise', 'pakistanaises'], es: ['pakistaní', 'pakistaníes'], ru: ['пакистанцы'] },
  PER: { fr: ['péruvien', 'péruvienne', 'péruviens', 'péruviennes'], es: ['peruano', 'peruana', 'peruanos', 'peruanas'] },
  PHL: { fr: ['philippin', 'philippine', 'philippins', 'philippines'], es: ['filipino', 'filipina', 'filipinos', 'filipinas'], ru: ['филиппинцы', 'филиппинские'], zh: ['菲律宾'] },
  QAT: { fr: ['qatari', 'qatarie', 'qataris'], es: ['catarí', 'cataríes'] },
  RUS: { fr: ['Russie', 'russe', 'russes'], es: ['Rusia', 'ruso', 'rusa', 'rusos', 'rusas'], ru: ['Россия', 'российские', 'российский'], zh: ['俄罗斯'], ar: ['روسيا'] },
  SAU: { fr: ['saoudien', 'saoudienne', 'saoudiens', 'saoudiennes'], es: ['saudí', 'saudíes', 'saudita', 'sauditas'] },
  SDN: { fr: ['soudanais', 'soudanaise', 'soudanaises'], es: ['sudanés', 'sudanesa', 'sudaneses', 'sudanesas'] },
  SEN: { fr: ['sénégalais', 'sénégalaise', 'sénégalaises'], es: ['senegalés', 'senegalesa', 'senegaleses', 'senegalesas'] },
  SLV: { fr: ['salvadorien', 'salvadorienne', 'salvadoriens', 'salvadoriennes'], es: ['salvadoreño', 'salvadoreña', 'salvadoreños', 'salvadoreñas'] },
  SOM: { fr: ['somalien', 'somalienne', 'somaliens', 'somaliennes'], es: ['somalí', 'somalíes'] },
  SYR: { fr: ['Syrie', 'syrien', 'syrienne', 'syriens', 'syriennes'], es: ['Siria', 'sirio', 'siria', 'sirios', 'sirias'], ru: ['Сирия', 'сирийцы', 'сирийские'], zh: ['叙利亚'], ar: ['سوريا'] },
  THA: { fr: ['thaïlandais', 'thaïlandaise', 'thaïlandaises'], es: ['tailandés', 'tailandesa', 'tailandeses', 'tailandesas'] },
  TJK: { ru: ['Таджикистан', 'таджики', 'таджикские'], fr: ['tadjik', 'tadjike', 'tadjiks'] },
  TUR: { fr: ['Turquie', 'turc', 'turque', 'turcs', 'turques'], es: ['Turquía', 'turco', 'turca', 'turcos', 'turcas'], ru: ['Турция'] },
  UKR: { fr: ['ukrainien', 'ukrainienne', 'ukrainiens', 'ukrainiennes'], es: ['ucraniano', 'ucraniana', 'ucranianos', 'ucranianas'], ru: ['Украина', 'украинцы'] },
  USA: { fr: ['États-Unis', 'américain', 'américaine', 'américains', 'américaines'], es: ['Estados Unidos', 'estadounidense', 'estadounidenses'], ru: ['США', 'Соединенные Штаты'], zh: ['美国'], ar: ['الولايات المتحدة'] },
  UZB: { ru: ['Узбекистан', 'узбеки'], fr: ['ouzbek', 'ouzbèke', 'ouzbeks'] },
  VEN: { fr: ['Venezuela', 'vénézuélien', 'vénézuélienne', 'vénézuéliens', 'vénézuéliennes'], es: ['Venezuela', 'venezolano', 'venezolana', 'venezolanos', 'venezolanas'], ru: ['Венесуэла'], zh: ['委内瑞拉'], ar: ['فنزويلا'] },
  VNM: { fr: ['vietnamien', 'vietnamienne', 'vietnamiens', 'vietnamiennes'], es: ['vietnamita', 'vietnamitas'], ru: ['Вьетнам', 'вьетнамцы'] },
  ARE: { fr: ['Émirats arabes unis', 'émirati', 'émiratis'], es: ['Emiratos Árabes Unidos', 'emiratí', 'emiratíes'] },
  GBR: { fr: ['Royaume-Uni'], es: ['Reino Unido'], ru: ['Великобритания'], zh: ['英国'], ar: ['المملكة المتحدة'] },
  DEU: { fr: ['allemand', 'allemande', 'allemands', 'allemandes'], es: ['alemán', 'alemana', 'alemanes', 'alemanas'], ru: ['Германия'] },
  FRA: { fr: ['français', 'française', 'françaises'], es: ['francés', 'francesa', 'franceses', 'francesas'], ru: ['Франция'] },
  ESP: { fr: ['espagnol', 'espagnole', 'espagnols', 'espagnoles'], es: ['español', 'española', 'españoles', 'españolas'], ru: ['Испания'] },
  ITA: { fr: ['italien', 'italienne', 'italiens', 'italiennes'], es: ['italiano', 'italiana', 'italianos', 'italianas'], ru: ['Италия'] },
  KWT: { fr: ['koweïtien', 'koweïtienne', 'koweïtiens'], es: ['kuwaití', 'kuwaitíes'] },
  OMN: { fr: ['omanais', 'omanaise', 'omanaises'], es: ['omaní', 'omaníes'] },
  BHR: { fr: ['bahreïni', 'bahreïnie', 'bahreïnis'], es: ['bareiní', 'bareiníes'] },
  SGP: { fr: ['singapourien', 'singapourienne', 'singapouriens'], es: ['singapurense', 'singapurenses'] },
  JPN: { fr: ['japonais', 'japonaise', 'japonaises'], es: ['japonés', 'japonesa', 'japoneses', 'japonesas'], ru: ['Япония'] },
  ARG: { fr: ['argentin', 'argentine', 'argentins', 'argentines'], es: ['argentino', 'argentina', 'argentinos', 'argentinas'] },
  CHL: { fr: ['chilien', 'chilienne', 'chiliens', 'chiliennes'], es: ['chileno', 'chilena', 'chilenos', 'chilenas'] },
  CRI: { fr: ['costaricien', 'costaricienne', 'costariciens'], es: ['costarricense', 'costarricenses'] },
  DOM: { fr: ['dominicain', 'dominicaine', 'dominicains', 'dominicaines'], es: ['dominicano', 'dominicana', 'dominicanos', 'dominicanas'] },
  PAN: { fr: ['panaméen', 'panaméenne', 'panaméens'], es: ['panameño', 'panameña', 'panameños', 'panameñas'] },
  PRY: { fr: ['paraguayen', 'paraguayenne', 'paraguayens'], es: ['paraguayo', 'paraguaya', 'paraguayos', 'paraguayas'] },
  URY: { fr: ['uruguayen', 'uruguayenne', 'uruguayens'], es: ['uruguayo', 'uruguaya', 'uruguayos', 'uruguayas'] },
  CUB: { fr: ['cubain', 'cubaine', 'cubains', 'cubaines'], es: ['cubano', 'cubana', 'cubanos', 'cubanas'] },
  TUN: { fr: ['tunisien', 'tunisienne', 'tunisiens', 'tunisiennes'], es: ['tunecino', 'tunecina', 'tunecinos', 'tunecinas'] },
  DZA: { fr: ['algérien', 'algérienne', 'algériens', 'algériennes'], es: ['argelino', 'argelina', 'argelinos', 'argelinas'] },
  LBY: { fr: ['libyen', 'libyenne', 'libyens', 'libyennes'], es: ['libio', 'libia', 'libios', 'libias'] },
  ERI: { fr: ['érythréen', 'érythréenne', 'érythréens', 'érythréennes'], es: ['eritreo', 'eritrea', 'eritreos', 'eritreas'] },
  KEN: { fr: ['kényan', 'kényane', 'kényans'], es: ['keniano', 'keniana', 'kenianos', 'kenianas'] },
  UGA: { fr: ['ougandais', 'ougandaise', 'ougandaises'], es: ['ugandés', 'ugandesa', 'ugandeses'] },
  ZWE: { fr: ['zimbabwéen', 'zimbabwéenne', 'zimbabwéens'], es: ['zimbabuense', 'zimbabuenses'] },
  ZAF: { fr: ['sud-africain', 'sud-africaine', 'sud-africains', 'sud-africaines'], es: ['sudafricano', 'sudafricana', 'sudafricanos', 'sudafricanas'] },
};

/** Names whose words are everyday words or other places in a language: left out ("Inde" is fine, "Chine" is fine, "Maurice" is a first name). */
const SKIP = new Set(['Maurice', 'Guinée', 'Georgia', 'Chad', 'Jordania']);

function clean(name: string): string {
  // "Venezuela (République bolivarienne du)" → "Venezuela": people type the short form.
  return name.replace(/\s*\(.*?\)\s*/g, ' ').replace(/\s+/g, ' ').trim();
}

function main(): void {
  if (!fs.existsSync(HDX)) throw new Error(`${HDX} is missing`);
  const rows = parse(fs.readFileSync(HDX, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const out: Record<string, Partial<Record<Lang, string[]>>> = {};
  for (const row of rows) {
    const code = row['ISO 3166-1 Alpha 3-Codes'];
    if (!/^[A-Z]{3}$/.test(code) || row.Deprecated === 'Y') continue;
    const names: Partial<Record<Lang, string[]>> = {};
    for (const lang of LANGS) {
      const list = new Set<string>();
      for (const column of COLUMNS[lang]) {
        const v = row[column]?.trim();
        if (v) list.add(clean(v));
      }
      for (const v of EXTRA[code]?.[lang] ?? []) list.add(v);
      const kept = [...list].filter((n) => n !== '' && !SKIP.has(n));
      if (kept.length > 0) names[lang] = kept;
    }
    if (Object.keys(names).length > 0) out[code] = names;
  }
  const lines = Object.entries(out)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, names]) => `    ${JSON.stringify(code)}: ${JSON.stringify(names)}`);
  const about =
    'Country names in the other UN languages (fr, es, ru, zh, ar), matched in queries only. UN short names from the OCHA HDX countries and territories taxonomy (MIT); common forms and demonyms added by hand. See vocab/README.md.';
  fs.writeFileSync(OUT, `{\n  "about": ${JSON.stringify(about)},\n  "countries": {\n${lines.join(',\n')}\n  }\n}\n`);
  console.log(`wrote ${OUT}: ${lines.length} countries`);
}

main();
