/**
 * Elasticsearch refusing the portal at run time (a password rotated on the cluster, a role taken
 * away): visitors get the 503 page, not "401 Sign-in required" (they have nothing to sign in
 * to), and the log says, as an error, what the operator has to fix.
 */
import crypto from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import pino from 'pino';
import request from 'supertest';
import { openElasticsearchBackend } from '../../src/backends/elasticsearch';
import { analyseQuery } from '../../src/search/query-analyser';
import { SearchService } from '../../src/search/search-service';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { createApp } from '../../src/web/app';
import { describeWithElasticsearch, testClient, uniquePrefix } from '../support/elasticsearch';

const vocab = loadVocabulary();

describeWithElasticsearch('Elasticsearch refusing the portal', (settings) => {
  let admin: Client;
  const user = `corridor-test-noprivs-${process.pid}`;
  const password = crypto.randomBytes(12).toString('hex');

  beforeAll(async () => {
    admin = testClient(settings);
    // A user that may sign in but read nothing: the cluster answers 403.
    await admin.security.putUser({ username: user, password, roles: [] });
  });
  afterAll(async () => {
    await admin.security.deleteUser({ username: user }).catch(() => undefined);
    await admin.close();
  });

  function portal(credentials: { username: string; password: string }) {
    const logs: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as { level: number; msg: string }) });
    const backend = openElasticsearchBackend({ ...settings, ...credentials, indexPrefix: uniquePrefix('auth') }, vocab);
    const search = new SearchService(backend.engine, (text) => analyseQuery(vocab, text));
    const app = createApp({ search, labels: vocab, logger, config: { siteName: 'Corridor' } });
    return { app, logs, close: () => backend.engine.close() };
  }

  it('wrong credentials (401): a 503 page for visitors, an error in the log naming the credentials', async () => {
    const p = portal({ username: settings.username ?? 'elastic', password: `${settings.password ?? ''}-wrong` });
    try {
      const page = await request(p.app).get('/?q=migration').expect(503);
      expect(page.text).toContain('Temporarily unavailable');
      expect(page.text).not.toContain('Sign-in required');
      await request(p.app).get('/api/search?q=migration').expect(503);
      const errors = p.logs.filter((l) => l.level >= 50);
      expect(errors.map((l) => l.msg)).toContainEqual(expect.stringMatching(/refused the credentials \(401\).*CORRIDOR_ES_USERNAME/));
    } finally {
      await p.close();
    }
  });

  it('missing privileges (403): a 503 page, and the log names the missing privilege', async () => {
    const p = portal({ username: user, password });
    try {
      const page = await request(p.app).get('/?q=migration').expect(503);
      expect(page.text).toContain('Temporarily unavailable');
      const errors = p.logs.filter((l) => l.level >= 50);
      expect(errors.map((l) => l.msg)).toContainEqual(expect.stringMatching(/lacks a privilege \(403/));
    } finally {
      await p.close();
    }
  });
});
