/**
 * Related publications on a record's page and in its JSON, from the engine under test (each
 * engine's own means: an FTS5 query of distinctive words and tags, or more_like_this).
 */
import request from 'supertest';
import type { ApiResource } from '../../src/web/api-model';
import { buildTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

function relatedOnPage(html: string): string[] {
  const section = /<section class="related"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  return [...section.matchAll(/<a href="\/resources\/([^"]+)">/g)].map((m) => decodeURIComponent(m[1]!));
}

describe('related publications', () => {
  it('lists a few records about the same places and subject under the record, never the record itself', async () => {
    const id = 'hrw-tiger-to-crocodile-thailand-2010';
    const html = (await request(t.app).get(`/resources/${id}`).expect(200)).text;
    expect(html).toContain('<h2 id="related-heading">Related publications</h2>');
    const listed = relatedOnPage(html);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThanOrEqual(5);
    expect(listed).not.toContain(id);
    // Migrant workers from Myanmar and Cambodia in Thailand, like this one.
    expect(listed).toEqual(expect.arrayContaining(['hrw-hidden-chains-thailand-fishing-2018', 'ilo-ship-to-shore-baseline-thailand-2018']));
    for (const other of listed) await request(t.app).get(`/resources/${encodeURIComponent(other)}`).expect(200);
  });

  it('puts the closest first: another report on Qatar’s World Cup construction sites', async () => {
    const html = (await request(t.app).get('/resources/amnesty-dark-side-of-migration-qatar-2013').expect(200)).text;
    expect(relatedOnPage(html)[0]).toBe('hrw-building-better-world-cup-qatar-2012');
  });

  it('gives the same list in the record’s JSON, with links and what each is', async () => {
    const id = 'hrw-tiger-to-crocodile-thailand-2010';
    const json = (await request(t.app).get(`/api/resources/${id}`).expect(200)).body as ApiResource;
    const html = (await request(t.app).get(`/resources/${id}`).expect(200)).text;
    expect(json.related.map((r) => r.id)).toEqual(relatedOnPage(html));
    expect(json.related[0]).toEqual({
      id: expect.any(String),
      title: expect.any(String),
      href: `/resources/${encodeURIComponent(json.related[0]!.id)}`,
      type: expect.anything(),
      publisher: expect.anything(),
      year: expect.anything(),
    });
  });

  it('leaves the section out when nothing is related', async () => {
    const html = (await request(t.app).get('/resources/no-such-record').expect(404)).text;
    expect(html).not.toContain('Related publications');
  });
});
