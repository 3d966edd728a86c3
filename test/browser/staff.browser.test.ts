/**
 * In a real browser (Debian chromium driven by playwright-core), against the real web process
 * (src/main.ts on port 0, a real SQLite data directory, a real sources file): a staff member signs
 * in, starts a reindex, watches its progress update without reloading, and finds the finished
 * run in the history. Then the server is stopped mid-run (SIGTERM) and must abort the run
 * cleanly, leaving the live index as it was. Screenshots go to test-artifacts/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { openOperationsStore } from '../../src/backends/sqlite/operations-store';
import { hashPassword } from '../../src/web/staff/passwords';
import { PROJECT_ROOT, SAMPLE_DATA } from '../support/test-app';
import { describeIfAvailable } from '../support/skip';
import { startWebProcess, type WebProcess } from '../support/processes';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
const PASSWORD = 'a browser test password';
// Without Chromium a developer's run reports this file as skipped; CI installs Chromium, so there a missing browser fails.
const describeIfChromium = (name: string, body: () => void) =>
  describeIfAvailable(fs.existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (Debian package chromium)`, name, body);

jest.setTimeout(120_000);

function generateRecords(file: string, count: number): void {
  const out = fs.openSync(file, 'w');
  for (let i = 0; i < count; i++) {
    fs.writeSync(
      out,
      `${JSON.stringify({
        id: `gen-${i}`,
        title: `Recruitment costs of migrant domestic workers, study ${i}`,
        abstract: 'Filipino and Indonesian domestic workers in Hong Kong SAR and Singapore.',
        published: String(1995 + (i % 30)),
      })}\n`,
    );
  }
  fs.closeSync(out);
}

const numberIn = (text: string) => Number(text.replace(/[^\d]/g, '')) || 0;

/** Polls a locator's text until `accept` returns true (the page updates itself in between). */
async function waitForText(locator: Locator, accept: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await locator.innerText().catch(() => '');
    if (accept(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out; the text is still: ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describeIfChromium('staff console in a browser', () => {
  let dir: string;
  let server: WebProcess;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-browser-'));
    generateRecords(path.join(dir, 'bulk.ndjson'), 60_000);
    fs.writeFileSync(
      path.join(dir, 'sources.json'),
      JSON.stringify({
        sources: [
          { id: 'sample', kind: 'file', location: SAMPLE_DATA, label: 'Project sample data' },
          { id: 'bulk', kind: 'file', location: 'bulk.ndjson' },
          { id: 'partner-feed', kind: 'rss', location: 'http://127.0.0.1:9/feed.xml', enabled: false },
        ],
      }),
    );
    const hash = await hashPassword(PASSWORD, { N: 2 ** 14, r: 8, p: 1 });
    server = await startWebProcess({
      CORRIDOR_DATA_DIR: path.join(dir, 'data'),
      CORRIDOR_SOURCES_FILE: path.join(dir, 'sources.json'),
      CORRIDOR_STAFF_ACCOUNTS: `amina:${hash}`,
      CORRIDOR_SESSION_SECRET: 'browser-test-secret-browser-test-secret',
      CORRIDOR_TIMEZONE: 'Asia/Bangkok',
    });
    context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    await server?.kill();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('sign in, reindex, watch the progress, find the run in the history', async () => {
    const cspErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') cspErrors.push(msg.text());
    });

    await page.goto(`${server.url}/staff`);
    await page.waitForURL(/\/staff\/sign-in/);
    await shot(page, 'staff-1-sign-in');
    await page.getByLabel('Name').fill('amina');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/staff$/);
    await page.getByRole('heading', { name: 'Staff console' }).waitFor();
    await page.getByText('Signed in as').waitFor();
    const documents = Number((await page.locator('[data-field="documents"]').innerText()).replace(/,/g, ''));
    expect(documents).toBeGreaterThanOrEqual(60);
    await shot(page, 'staff-2-console');

    await page.getByRole('button', { name: 'Reindex now' }).click();
    await page.waitForURL(/started=run-/);
    const status = page.locator('[data-field="status"]');
    await expect(status.innerText()).resolves.toMatch(/Running/);

    // The figures move without a reload: the same document, newer numbers.
    const readTotal = page.locator('[data-total="read"]');
    const firstRead = numberIn(await readTotal.innerText());
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    await waitForText(readTotal, (text) => numberIn(text) > firstRead);
    expect(navigations).toEqual([]);
    await page.locator('tr[data-source="bulk"]').waitFor();
    await shot(page, 'staff-3-progress');
    // The script also refused to be inline: nothing was blocked by the CSP.
    expect(cspErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);

    // The end of the run is announced in place.
    const finished = await waitForText(status, (text) => /finished/.test(text), 60_000);
    expect(finished).toMatch(/Succeeded The run finished after .*60,\d{3} read/);
    await shot(page, 'staff-4-finished');

    await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Run history' }).click();
    await page.getByRole('heading', { name: 'Run history' }).waitFor();
    const firstRow = page.locator('.runs-table tbody tr').first();
    await expect(firstRow.innerText()).resolves.toMatch(/amina \(staff\)\s+Full reindex[\s\S]*Succeeded/);
    await shot(page, 'staff-5-history');

    await firstRow.getByRole('link').click();
    await page.getByRole('heading', { name: /^Run run-/ }).waitFor();
    await expect(page.locator('main').innerText()).resolves.toMatch(/bulk\s+file\s+Done\s+60,000/);
    await shot(page, 'staff-6-run');
  });

  test('stopping the server mid-run aborts the run cleanly and leaves the live index as it was', async () => {
    await page.goto(`${server.url}/staff`);
    const before = await page.locator('[data-field="documents"]').innerText();
    await page.getByRole('button', { name: 'Reindex now' }).click();
    await page.waitForURL(/started=run-/);
    const runId = /started=(run-[^&#]+)/.exec(page.url())![1]!;
    await waitForText(page.locator('[data-total="read"]'), (text) => numberIn(text) > 0);

    server.child.kill('SIGTERM');
    const code = await server.exited;
    if (code !== 0) throw new Error(`the server exited with ${code}:\n${server.output.join('').slice(-3000)}`);
    expect(server.output.join('')).toContain('shutting down');

    const store = openOperationsStore(path.join(dir, 'data'));
    try {
      expect(await store.history.get(runId)).toMatchObject({ outcome: 'cancelled', error: expect.stringMatching(/shutting down/) });
      expect(await store.leases.current('ingest')).toBeNull();
    } finally {
      store.close();
    }

    // A restarted server serves the index it had before the interrupted run.
    server = await startWebProcess({
      CORRIDOR_DATA_DIR: path.join(dir, 'data'),
      CORRIDOR_SOURCES_FILE: path.join(dir, 'sources.json'),
      CORRIDOR_STAFF_ACCOUNTS: `amina:${await hashPassword(PASSWORD, { N: 2 ** 14, r: 8, p: 1 })}`,
      CORRIDOR_SESSION_SECRET: 'browser-test-secret-browser-test-secret',
    });
    const health = (await (await fetch(`${server.url}/health`)).json()) as { documents: number };
    expect(health.documents.toLocaleString('en')).toBe(before);
  });
});
