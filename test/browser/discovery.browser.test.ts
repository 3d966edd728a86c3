/**
 * In Chromium: the resource page's JSON-LD under the site's strict Content-Security-Policy
 * (script-src 'self', no inline scripts). A `<script type="application/ld+json">` is a data
 * block, which browsers never execute, so CSP does not apply to it and no nonce or hash is
 * needed: this test proves that the page raises no CSP violation and that the data is readable
 * from the DOM, as search engines read it. Also: the Subscribe and export links are visible.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../support/test-app';
import { listen, type RunningServer } from '../support/server';
import { describeIfAvailable } from '../support/skip';

const CHROMIUM = '/usr/bin/chromium';
// Without Chromium a developer's run reports this file as skipped; in CI a missing browser fails.
const describeIfChromium = (name: string, body: () => void) =>
  describeIfAvailable(fs.existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (Debian package chromium)`, name, body);

describeIfChromium('discovery outputs in a browser', () => {
  let t: TestApp;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    t = await buildTestApp();
    server = await listen(t.app);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  it('reads the JSON-LD of a resource page under the strict CSP, with no violation', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /content security policy/i.test(m.text())) problems.push(m.text());
    });
    // Browser-side code as strings: this project compiles without the DOM library.
    await page.addInitScript(
      "window.violations = []; document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ': ' + e.blockedURI));",
    );
    const response = await page.goto(`${server.url}/resources/iom-world-migration-report-2024`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const data = (await page.evaluate('JSON.parse(document.querySelector(\'script[type="application/ld+json"]\').textContent)')) as Record<string, unknown>;
    expect(data).toMatchObject({ '@context': 'https://schema.org', '@type': 'Report', name: 'World Migration Report 2024' });
    const violations = await page.evaluate('window.violations');
    expect(violations).toEqual([]);
    expect(problems).toEqual([]);
    // The listener does see violations: an inline script that would execute is refused and reported.
    await page.evaluate("const s = document.createElement('script'); s.textContent = 'window.ran = true'; document.head.appendChild(s)");
    await page.waitForFunction('window.violations.length > 0');
    expect(await page.evaluate('window.ran === true')).toBe(false);
    await expect(page.getByRole('link', { name: 'BibTeX citation' }).isVisible()).resolves.toBe(true);
    await page.close();
  });

  it('shows a Subscribe link and the export links on the search page', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?country=NPL`);
    await expect(page.getByRole('link', { name: 'RSS feed' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'Atom feed' }).isVisible()).resolves.toBe(true);
    await page.getByText('Cite or export').click();
    await expect(page.getByRole('link', { name: 'RIS (all results)' }).isVisible()).resolves.toBe(true);
    const feeds = await page.evaluate('Array.from(document.querySelectorAll(\'link[rel="alternate"]\')).map((l) => l.getAttribute("type"))');
    expect(feeds).toEqual(expect.arrayContaining(['application/rss+xml', 'application/atom+xml']));
    await page.close();
  });
});
