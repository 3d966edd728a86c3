/**
 * The project's analysers on a real Elasticsearch, shown with `_analyze`: they produce the
 * tokens Elasticsearch documents for its stock filters (asciifolding, the English possessive and
 * Porter stemmers) — on the test server through the test-only plugin, on the official image
 * through analysis-common, with the same index settings. Then the behaviours that only the
 * Elasticsearch adapter has to get right: other names from the query analyser finding documents
 * the tagger did not tag, words split at apostrophes as the core splits them, highlights mapped
 * back onto the original text, spelling suggestions.
 */
import type { Client } from '@elastic/elasticsearch';
import { analyseQuery } from '../../src/search/query-analyser';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../src/search/types';
import { describeWithElasticsearch, openTestBackend, testClient, type TestBackend } from '../support/elasticsearch';
import { makeDocument } from '../contract/contract-documents';
import { query } from '../contract/engine-contract';

const vocab = loadVocabulary();

describeWithElasticsearch('Elasticsearch analysis', (settings) => {
  let backend: TestBackend;
  let client: Client;
  let index: string;

  beforeAll(async () => {
    backend = openTestBackend(settings, 'analysis');
    client = testClient(settings);
    const writer = await backend.admin.openWriter({ mode: 'full' });
    // Untagged on purpose: only the text (and the other names the query analyser adds) can match these.
    await writer.write([
      makeDocument({ id: 'burma', title: 'Labour migration from Burma', abstract: "Women's rights at work; the migrants' views." }),
      makeDocument({ id: 'civ', title: "Migrant workers in Côte d'Ivoire", abstract: 'Return migrants from Lao PDR, and their families.' }),
      makeDocument({ id: 'maids', title: 'Housemaids in the Gulf', abstract: 'Recruitment of migrants for private homes.' }),
      makeDocument({ id: 'labor', title: 'Labor standards for migrants', abstract: 'Migrants and recruitment.' }),
    ]);
    await writer.commit({ runId: 'analysis', maxDropShare: 1 });
    index = (await backend.engine.status()).generation ?? '';
  });
  afterAll(async () => {
    await client?.close();
    await backend?.cleanup();
  });

  async function tokens(analyzer: string, text: string): Promise<string[]> {
    const response = await client.indices.analyze({ index, analyzer, text });
    return (response.tokens ?? []).map((t) => t.token);
  }

  describe('_analyze', () => {
    it('folds diacritics and stems English words at index time', async () => {
      expect(await tokens('corridor_text', 'Côte')).toEqual(['cote']);
      expect(await tokens('corridor_text', 'workers')).toEqual(['worker']);
      // The documented Porter examples (the stemmer filter, language "english").
      expect(await tokens('corridor_text', 'the foxes jumping quickly')).toEqual(['the', 'fox', 'jump', 'quickli']);
      expect(await tokens('corridor_text', 'Açaí à la carte')).toEqual(['acai', 'a', 'la', 'cart']);
      // English possessive: "'s" goes (stored text has apostrophes blanked anyway, see document.ts).
      expect(await tokens('corridor_text', "Nepal's workers")).toEqual(['nepal', 'worker']);
    });

    it('searches with the index analyser: no synonym filter expands a word behind the query analyser\'s back', async () => {
      const settings = await client.indices.getSettings({ index });
      expect(JSON.stringify(settings)).not.toContain('synonym');
      expect(await tokens('corridor_text', 'Jordan')).toEqual(['jordan']);
      expect(await tokens('corridor_text', 'labor')).toEqual(['labor']);
    });

    it('keeps search words unstemmed in the spelling field', async () => {
      expect(await tokens('corridor_words', 'Migrants in Côte')).toEqual(['migrants', 'in', 'cote']);
    });
  });

  describe('searching', () => {
    const search = (text: string) => backend.engine.search({ query: query(text), analysed: analyseQuery(vocab, text) });
    const ids = async (text: string) => (await search(text)).hits.map((h) => h.id).sort();

    it('finds untagged documents through the other names the query analyser adds', async () => {
      expect(await ids('Myanmar')).toEqual(['burma']);
      expect(await ids('Ivory Coast')).toEqual(['civ']);
      expect(await ids('Laos')).toEqual(['civ']);
      expect(await ids('domestic workers')).toEqual(['maids']);
      expect(await ids('labour standards')).toEqual(['labor']);
    });

    it('splits words at apostrophes as the core does', async () => {
      expect(await ids("women's rights")).toEqual(['burma']);
      expect(await ids('"migrants views"')).toEqual(['burma']);
      expect(await ids('ivoire')).toEqual(['civ']);
    });

    it('marks matches in the original text, apostrophes and all', async () => {
      const civ = (await search('ivoire')).hits[0];
      expect(civ.title).toBe(`Migrant workers in Côte d'${HIGHLIGHT_START}Ivoire${HIGHLIGHT_END}`);
      const burma = (await search('"women s rights"')).hits[0];
      expect(burma.snippets[0]).toMatch(new RegExp(`^${HIGHLIGHT_START}Women's rights${HIGHLIGHT_END} at work`));
      expect(burma.snippets[0].endsWith("views.")).toBe(true);
    });

    it('suggests a frequent word close to a misspelt one', async () => {
      expect(await backend.engine.suggestWords('migrnats', 3)).toEqual(['migrants']);
      expect(await backend.engine.suggestWords('zzzzzz', 3)).toEqual([]);
    });
  });
});
