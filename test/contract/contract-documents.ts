/** Hand-made documents whose facts the contract suite's expectations are derived from. */
import { deriveRegions } from '../../src/search/vocabulary/tagger';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import type { ResourceDocument } from '../../src/search/types';

const vocab = loadVocabulary();

type DocumentFields = Partial<Omit<ResourceDocument, 'languages'>> & { id: string; title: string; language?: string };

export function makeDocument(fields: DocumentFields): ResourceDocument {
  const countries = [...(fields.countries ?? [])].sort();
  const themes = [...(fields.themes ?? [])].sort();
  const given = fields.regions ?? [];
  const derived = deriveRegions(vocab, countries).filter((r) => !given.includes(r));
  const { language, ...rest } = fields;
  return {
    authors: [],
    keywords: [],
    ...rest,
    publishers: fields.publishers ?? (fields.publisher ? [fields.publisher] : []),
    languages: language ? [language] : [],
    year: fields.year ?? (fields.published ? Number(fields.published.slice(0, 4)) : undefined),
    countries,
    themes,
    regions: [...new Set([...given, ...derived])].filter((r) => !vocab.isGrouping(r)).sort(),
    groupings: [...new Set([...given, ...derived])].filter((r) => vocab.isGrouping(r)).sort(),
    corridors: [...(fields.corridors ?? [])].sort(),
    tagging: {
      countries: { given: countries, found: [] },
      regions: { given, found: [], derived },
      themes: { given: themes, found: [] },
    },
  };
}

export const contractDocuments: ResourceDocument[] = [
  makeDocument({
    id: 'c-lao',
    title: 'Migrant workers from Lao PDR in Thailand',
    abstract: 'Recruitment channels used by workers crossing from the Lao PDR into Thailand.',
    countries: ['LAO', 'THA'],
    corridors: ['LAO-THA'],
    type: 'Report',
    publisher: 'ILO',
    language: 'en',
    published: '2018-05',
  }),
  makeDocument({
    id: 'c-nepal',
    title: 'Nepali migrant workers and recruitment costs',
    abstract: 'Fees paid by workers before departure.',
    countries: ['NPL'],
    type: 'Policy brief',
    publisher: 'ILO',
    language: 'en',
    published: '2016',
  }),
  makeDocument({
    id: 'c-nepal-qatar',
    title: 'From Nepal to Qatar: labour on construction sites',
    abstract: 'Workers from Nepal building stadiums in Qatar.',
    countries: ['NPL', 'QAT'],
    corridors: ['NPL-QAT'],
    type: 'Report',
    publisher: 'Amnesty International',
    language: 'en',
    published: '2019-03-01',
  }),
  makeDocument({
    // Shares a country and most of its words with c-nepal-qatar: its closest relative.
    id: 'c-qatar-stadiums',
    title: 'Stadium construction workers in Qatar',
    abstract: 'Heat, wages and housing of the workers building the stadiums.',
    countries: ['QAT'],
    type: 'Report',
    publisher: 'Human Rights Watch',
    language: 'en',
    published: '2021-11',
  }),
  makeDocument({
    id: 'c-myanmar',
    title: 'Conditions in Thai fisheries',
    abstract: 'Interviews with migrants from Myanmar working on fishing boats.',
    countries: ['MMR', 'THA'],
    corridors: ['MMR-THA'],
    type: 'Report',
    publisher: 'IOM',
    language: 'en',
    published: '2014',
  }),
  makeDocument({
    id: 'c-remit-title',
    title: 'Remittances and development in Central Asia',
    abstract: 'Money sent home by migrants from Kyrgyzstan and Tajikistan and what it pays for.',
    countries: ['KGZ', 'TJK'],
    type: 'Study',
    publisher: 'World Bank',
    language: 'en',
    published: '2020',
  }),
  makeDocument({
    id: 'c-remit-abstract',
    title: 'Financial flows of migrant households',
    abstract: 'The study covers savings, debts and remittances among other topics.',
    type: 'Report',
    publisher: 'KNOMAD',
    language: 'en',
    published: '2021',
  }),
  makeDocument({
    id: 'c-phrase',
    title: 'Protecting domestic workers abroad',
    abstract: 'Standards for care work in private homes.',
    countries: ['SAU'],
    type: 'Guide',
    publisher: 'ILO',
    language: 'en',
    published: '2017',
  }),
  makeDocument({
    id: 'c-scattered',
    title: 'Domestic policy for protecting workers abroad',
    abstract: 'How sending states legislate on emigration.',
    type: 'Guide',
    publisher: 'MPI',
    language: 'en',
    published: '2015',
  }),
  makeDocument({
    id: 'c-civ',
    title: "Migration de main-d'œuvre en Côte d'Ivoire",
    abstract: 'Étude des flux de travailleurs en Afrique de l’Ouest.',
    countries: ['CIV'],
    type: 'Study',
    publisher: 'OIT',
    language: 'fr',
  }),
  makeDocument({
    id: 'c-labour-uk',
    title: 'Labour migration governance in Europe',
    abstract: 'How European states organise labour mobility.',
    type: 'Report',
    publisher: 'ICMPD',
    language: 'en',
    published: '2012',
  }),
  makeDocument({
    id: 'c-markup',
    title: '<script>alert("x")</script> Wages & "fees" <b>',
    abstract: 'A record whose title contains markup-like characters.',
    type: 'Factsheet',
    publisher: 'Test & Co',
    language: 'en',
    published: '2010',
  }),
  makeDocument({
    // Not tagged: only its text names the country, in another form than a visitor may type.
    id: 'c-untagged-lao',
    title: "Savings groups in the Lao People's Democratic Republic",
    abstract: 'Village savings and loan groups and the families of seasonal workers.',
    type: 'Study',
    publisher: 'UNCDF',
    language: 'en',
    published: '2013',
  }),
  makeDocument({
    // Tagged with Thailand by its source, but no form of the name is in its text.
    id: 'c-tag-only-tha',
    title: 'Forced labour and trafficking at sea',
    abstract: 'Crew members on distant-water vessels describe debts and confiscated documents.',
    countries: ['THA'],
    type: 'Report',
    publisher: 'ILO',
    language: 'en',
    published: '2020-06',
  }),
  makeDocument({
    id: 'c-undated-guide',
    title: 'Employer guide to fair recruitment',
    type: 'Guide',
    publisher: 'IOM',
    language: 'en',
  }),
  makeDocument({
    // A joint publication: it counts for each publisher. Its country's code (ARE) sorts before
    // QAT, its label (United Arab Emirates) after Qatar: equal counts must list by label.
    id: 'c-uae',
    title: 'Wage protection in the United Arab Emirates',
    abstract: 'Electronic salary transfers and what they changed for employers.',
    countries: ['ARE'],
    type: 'Report',
    publisher: 'ILO and UN Women',
    publishers: ['ILO', 'UN Women'],
    language: 'en',
    published: '2019-11',
  }),
  // A long abstract without the title's words: found through its title, it shows the plain
  // beginning of its abstract as its snippet.
  makeDocument({
    id: 'c-long-abstract',
    title: 'Pastoralists crossing borders with their herds',
    abstract:
      'Herders in the Sahel move with the seasons between grazing lands that lie on both sides of national borders. ' +
      'This study follows families over three years, describes the routes, the markets on the way and the papers asked ' +
      'for at each crossing, and sets out what local authorities on each side did to keep the routes open during droughts, ' +
      'floods and the closures of recent years.',
    language: 'en',
    published: '2017',
  }),
  // Many small publishers: more than a search result lists, so some are only reachable
  // through facetValues().
  ...Array.from({ length: 55 }, (_, i) =>
    makeDocument({
      id: `c-yearbook-${i + 1}`,
      title: `Yearbook number ${i + 1}`,
      type: 'Yearbook',
      publisher: `Press ${String(i + 1).padStart(2, '0')}`,
      published: String(1990 + (i % 7)),
    }),
  ),
];
