/**
 * Corridors read from record text (src/search/vocabulary/corridors.ts): the sentence shapes that
 * state an origin and a destination, the ones that only look like it, and the sample data against
 * what a person reads in it (bench/corridor-gold.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import { listInputFiles } from '../../indexer/file-inputs';
import { readInputFile } from '../../indexer/records/parse-input';
import { recordPreparer } from '../../indexer/prepare';
import { findTags } from '../../src/search/vocabulary/tagger';
import { parseCorridor } from '../../src/search/vocabulary/corridors';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { PROJECT_ROOT, SAMPLE_DATA } from '../support/test-app';

const vocab = loadVocabulary();
const corridorsOf = (text: string | string[]): string[] => findTags(vocab, text).corridors ?? [];

describe('corridors: what the text states', () => {
  it.each([
    ['Nepali workers in Qatar', ['NPL-QAT']],
    ['Filipino domestic workers in Hong Kong', ['PHL-HKG']],
    ['Indonesian Migrant Domestic Workers Trafficked to Hong Kong', ['IDN-HKG']],
    ['Abuse of Tanzanian Domestic Workers in Oman and the United Arab Emirates', ['TZA-OMN', 'TZA-ARE']],
    ['Syrian refugees in the Turkish labour market', ['SYR-TUR']],
    ['Myanmar migrants in Thailand', ['MMR-THA']],
    ['Venezuelans in Colombia, Peru and Ecuador', ['VEN-COL', 'VEN-PER', 'VEN-ECU']],
    ['Nepali and Bangladeshi workers in Malaysia and in Qatar', ['NPL-MYS', 'NPL-QAT', 'BGD-MYS', 'BGD-QAT']],
  ])('people of one country in another: %s', (text, expected) => {
    expect(corridorsOf(text)).toEqual(expected);
  });

  it.each([
    ['Labour migration from Myanmar to Thailand', ['MMR-THA']],
    ['From Nepal to Qatar: labour on construction sites', ['NPL-QAT']],
    ['Workers from Nepal building stadiums in Qatar.', ['NPL-QAT']],
    ['Abuses against domestic workers from Indonesia, Sri Lanka, the Philippines and Nepal in Saudi Arabia.', ['IDN-SAU', 'LKA-SAU', 'PHL-SAU', 'NPL-SAU']],
    ['Migrants from Burma, Cambodia and Laos working in Thailand.', ['MMR-THA', 'KHM-THA', 'LAO-THA']],
    ['Irregular migration from Ethiopia via Yemen to Saudi Arabia', ['ETH-SAU']],
    ['Migrant workers in Thailand from Myanmar', ['MMR-THA']],
    ['Remittance costs in the Nepal–Qatar corridor', ['NPL-QAT']],
  ])('movement from one country to another: %s', (text, expected) => {
    expect(corridorsOf(text)).toEqual(expected);
  });

  it.each([
    ['Returnees from Malaysia in Nepal', ['NPL-MYS']],
    ['Cambodian migrants deported from Thailand', ['KHM-THA']],
    ['Afghans returning from Iran and Pakistan', ['AFG-IRN', 'AFG-PAK']],
    ['Remittances from Qatar to Nepal', ['NPL-QAT']],
    ['Fees in the US–Mexico remittance corridor', ['MEX-USA']],
  ])('gives the migrants’ own direction for returns and remittances: %s', (text, expected) => {
    expect(corridorsOf(text)).toEqual(expected);
  });

  it.each([
    'Memorandum of understanding between Nepal and Qatar on the recruitment of workers',
    'Migrant workers in Cambodia, Lao PDR, Myanmar and Thailand',
    'Migrant workers in countries from Morocco to Indonesia',
    'From Syria to Yemen to South Sudan, the humanitarian crisis deepens.',
    'The legacy of silence: why we ignore the rape of women from Guatemala to Syria',
    'Evidence from Nepal on migrant workers in Qatar',
    'Skills training for returnees in Nepal, funded by the Governments of Norway and Switzerland',
    'Kidnapped Danish, Swedish aid workers freed in Somalia',
    'Norwegian Refugee Council director in South Sudan',
    'Syrian refugee children in the UAE-Jordanian camp',
    'Syrian refugees grateful to Kuwait for humanitarian aid',
    'Djibouti, Refugees in Somalia and Ethiopia',
    'Nepali workers in Nepal',
    'Training materials in Nepali for workers in Qatar',
  ])('states no corridor: %s', (text) => {
    expect(corridorsOf(text)).toEqual([]);
  });

  it('never reads a pair across two fields or two sentences', () => {
    expect(corridorsOf(['Nepali migrant workers', 'Conditions in Qatar'])).toEqual([]);
    expect(corridorsOf('Most are Nepali migrant workers. Conditions in Qatar are harsh.')).toEqual([]);
  });

  it('writes a corridor as two ISO codes that read back', () => {
    expect(parseCorridor('npl-qat')).toEqual({ origin: 'NPL', destination: 'QAT' });
    expect(parseCorridor('NPL')).toBeUndefined();
  });
});

describe('corridors of the sample data, against a person’s reading', () => {
  const gold = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'bench', 'corridor-gold.json'), 'utf8')) as { records: Record<string, string[]> };

  it('finds no corridor the text does not state, and most of those it does', async () => {
    const prepare = recordPreparer(vocab);
    const wrong: string[] = [];
    let right = 0;
    for (const file of await listInputFiles([SAMPLE_DATA])) {
      for await (const item of readInputFile(file, { source: 'sample' })) {
        if (item.kind !== 'record') continue;
        const prepared = prepare(item.raw, item.source);
        if (!prepared.ok) continue;
        const doc = prepared.document;
        for (const code of doc.corridors) {
          // The facets never disagree: both countries of a corridor are the record's countries.
          const pair = parseCorridor(code)!;
          expect(doc.countries).toEqual(expect.arrayContaining([pair.origin, pair.destination]));
          if (gold.records[doc.id]?.includes(code)) right++;
          else wrong.push(`${doc.id} ${code}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    const stated = Object.values(gold.records).flat().length;
    // Precision first: recall is what it is (see the README), but a change that loses most of it is a regression.
    expect(right / stated).toBeGreaterThan(0.6);
  });
});
