/**
 * After an upgrade, an embedded index too old for this version to search (before datestamps) is
 * neither served half-broken nor replaced by the sample data: the engine says why it cannot use
 * it, /health answers 503 with that reason, and the web process rebuilds it from the configured
 * sources at start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteBackend } from '../../src/backends/sqlite';
import { OLDEST_SERVED_LAYOUT } from '../../src/backends/sqlite/schema';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { startWebProcess, PROJECT_ROOT } from '../support/processes';
import { buildTestApp } from '../support/test-app';

const vocab = loadVocabulary();

/** A data directory whose live index looks like one written by an older version. */
async function outdatedDataDir(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-outdated-'));
  const built = await buildTestApp({ backend: openSqliteBackend({ dataDir, labels: vocab }) });
  await built.close();
  const pointer = JSON.parse(fs.readFileSync(path.join(dataDir, 'index', 'current.json'), 'utf8')) as { current: { file: string } };
  const db = new Database(path.join(dataDir, 'index', pointer.current.file));
  db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(OLDEST_SERVED_LAYOUT - 1));
  db.close();
  return dataDir;
}

describe('an index too old to search, after an upgrade', () => {
  it('is reported by the engine with the reason and how to rebuild it, and searched as empty', async () => {
    const dataDir = await outdatedDataDir();
    const backend = openSqliteBackend({ dataDir, labels: vocab });
    try {
      const status = await backend.engine.status();
      expect(status).toMatchObject({ documents: 0, outdated: expect.stringMatching(/older version of Corridor \(layout 3.*full run/) });
      const health = await backend.engine.health();
      expect(health.ok).toBe(false);
      expect(health.detail).toMatch(/layout 3/);
    } finally {
      await backend.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('is rebuilt from the configured sources when the web process starts', async () => {
    const dataDir = await outdatedDataDir();
    const web = await startWebProcess({
      CORRIDOR_DATA_DIR: dataDir,
      CORRIDOR_SOURCES_FILE: path.join(PROJECT_ROOT, 'sources.json'),
      CORRIDOR_SAMPLE_DATA: path.join(dataDir, 'no-sample-here'),
    });
    try {
      const health = await (await fetch(`${web.url}/health`)).json() as { status: string; documents: number };
      expect(health.status).toBe('ok');
      expect(health.documents).toBeGreaterThan(100);
      expect(web.output.join('')).toContain('rebuilding the index from the configured sources');
    } finally {
      await web.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
