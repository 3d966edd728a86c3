/**
 * A visitor's path in a real browser (Debian chromium driven by playwright-core) against the
 * real web process (src/main.ts on port 0, the sample data indexed on its first start): ticking
 * a value beyond what a facet used to list, finding a value by keyboard, drilling into the years,
 * back to the results and previous/next, the phone's filter control (with and without
 * JavaScript), the sort menu under arrow keys, and axe on every kind of page. Screenshots at
 * 1280 px and 390 px go to test-artifacts/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ApiSearchResponse } from '../../src/web/api-model';
import { hashPassword } from '../../src/web/staff/passwords';
import { axeViolations } from '../support/axe';
import { PROJECT_ROOT } from '../support/test-app';
import { startWebProcess, type WebProcess } from '../support/processes';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
const PASSWORD = 'a visitor test password';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// Without Chromium a developer's run skips this file; CI installs Chromium, so there a missing browser fails.
const describeIfChromium = fs.existsSync(CHROMIUM) || process.env.CI === 'true' ? describe : describe.skip;

jest.setTimeout(120_000);

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describeIfChromium('a visitor’s path in a browser', () => {
  let dir: string;
  let server: WebProcess;
  let browser: Browser;
  let desktop: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  const api = async (qs: string): Promise<ApiSearchResponse> => (await (await fetch(`${server.url}/api/search${qs}`)).json()) as ApiSearchResponse;
  const search = (u: string) => new URL(u).searchParams;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-visitor-'));
    server = await startWebProcess({
      CORRIDOR_DATA_DIR: path.join(dir, 'data'),
      CORRIDOR_STAFF_ACCOUNTS: `amina:${await hashPassword(PASSWORD, { N: 2 ** 14, r: 8, p: 1 })}`,
      CORRIDOR_SESSION_SECRET: 'visitor-test-secret-visitor-test-secret',
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await desktop.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${page.url()}: ${msg.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('ticks a country beyond the 50th, which the facet did not list before', async () => {
    const all = await api('');
    expect(all.facets.country.length).toBeGreaterThan(50);
    const far = all.facets.country[all.facets.country.length - 1]!;
    await page.goto(server.url);
    await shot(page, 'visitor-1280-landing');
    const country = page.locator('#facet-country');
    await country.getByText(/^Show \d+ more/).click();
    // The checkbox's name says what ticking it gives: "Ukraine, 1 result".
    const name = new RegExp(`^${far.label}\\s*,\\s*${far.count} ${far.count === 1 ? 'result' : 'results'}$`);
    await country.getByRole('checkbox', { name }).check();
    await page.waitForURL((u) => search(u.toString()).getAll('country').includes(far.value));
    const expected = await api(`?country=${far.value}`);
    await expect(page.locator('#results').innerText()).resolves.toBe(`${expected.total} ${expected.total === 1 ? 'result' : 'results'}`);
    // On a wide screen the focus comes back to the box that was ticked.
    await expect(page.evaluate('document.activeElement && document.activeElement.value')).resolves.toBe(far.value);
  });

  test('finds a facet value by typing its name, and ticks it with the keyboard', async () => {
    await page.goto(server.url);
    await page.locator('#find-country').focus();
    await page.keyboard.type('Om');
    await page.locator('#find-country-results input[value="OMN"]').waitFor();
    await expect(page.locator('#find-country-status').innerText()).resolves.toMatch(/match/);
    await page.keyboard.press('Enter');
    await expect(page.evaluate('document.activeElement && document.activeElement.value')).resolves.toBe('OMN');
    await page.keyboard.press('Space');
    await page.waitForURL((u) => search(u.toString()).getAll('country').includes('OMN'));
    await expect(page.locator('.chip[data-param="country"] .chip-label').innerText()).resolves.toBe('Oman');
  });

  test('drills into the years: a decade, then a year, and back up', async () => {
    await page.goto(server.url);
    const decade = page.locator('.histogram a.bar-row').last();
    // The label ends with a comma for screen readers ("2010s, 57 results").
    const label = (await decade.locator('.bar-label').innerText()).replace(/[,\s]+$/, '');
    await decade.click();
    await page.waitForURL((u) => search(u.toString()).get('from') === label.slice(0, 4));
    expect(search(page.url()).get('to')).toBe(String(Number(label.slice(0, 4)) + 9));
    await expect(page.locator('.histogram-caption').innerText()).resolves.toBe('Resources by year');
    await shot(page, 'visitor-1280-decade');
    const year = page.locator('.histogram a.bar-row').first();
    const yearLabel = (await year.locator('.bar-label').innerText()).replace(/[,\s]+$/, '');
    await year.click();
    await page.waitForURL((u) => search(u.toString()).get('to') === yearLabel);
    await expect(page.locator('.histogram .is-selected .bar-label').innerText()).resolves.toMatch(new RegExp(`^${yearLabel}[,\\s]*$`));
    await page.locator('.year-trail').getByRole('link', { name: `${label}` }).click();
    await page.waitForURL((u) => search(u.toString()).get('from') === label.slice(0, 4) && search(u.toString()).get('to') !== yearLabel);
    await page.locator('.year-trail').getByRole('link', { name: 'All years' }).click();
    await page.waitForURL((u) => search(u.toString()).get('from') === null);
  });

  test('goes from a result to the next record and back to the results, also in a new tab', async () => {
    await page.goto(`${server.url}/?q=migrant+workers`);
    const hits = page.locator('.hit-title a');
    const titles = await hits.allInnerTexts();
    await hits.nth(1).click();
    await page.locator('.result-nav').waitFor();
    await expect(page.locator('h1').innerText()).resolves.toBe(titles[1]);
    await expect(page.locator('#header-q').inputValue()).resolves.toBe('migrant workers');
    await shot(page, 'visitor-1280-resource');
    await page.locator('.result-next').click();
    await page.waitForURL((u) => search(u.toString()).get('pos') === '3');
    await expect(page.locator('h1').innerText()).resolves.toBe(titles[2]);
    await page.locator('.back-to-results').click();
    await page.waitForURL((u) => u.pathname === '/' && u.hash === '#hit-3');
    await expect(page.locator('#hit-3').isVisible()).resolves.toBe(true);
    const box = await page.locator('#hit-3').boundingBox();
    expect(box && box.y >= 0 && box.y < 900).toBe(true);

    // The same address in a new tab (no history, no script state) has the same way back.
    const href = await page.locator('#hit-3 .hit-title a').getAttribute('href');
    const tab = await desktop.newPage();
    await tab.goto(`${server.url}${href}`);
    await expect(tab.locator('.result-prev').getAttribute('href')).resolves.toMatch(/pos=2/);
    await tab.close();
  });

  test('sort menu: arrow keys do not reload the page; Enter applies the choice', async () => {
    await page.goto(`${server.url}/?q=migration`);
    const before = page.url();
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    await page.locator('#sort').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(800);
    expect(navigations).toBe(0);
    expect(page.url()).toBe(before);
    await expect(page.locator('.apply-display').isVisible()).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => search(u.toString()).get('sort') === 'oldest');
    // A pointer choice applies at once.
    await page.locator('#size').selectOption('50');
    await page.waitForURL((u) => search(u.toString()).get('size') === '50');
  });

  for (const javaScript of [true, false]) {
    test(`phone (390 px, JavaScript ${javaScript ? 'on' : 'off'}): Filters opens the filters; after a change the result count is in view`, async () => {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: javaScript, hasTouch: true, isMobile: true });
      const p = await phone.newPage();
      try {
        await p.goto(server.url);
        const filters = p.locator('#filters');
        await expect(filters.isVisible()).resolves.toBe(false);
        const toggle = p.locator('.filters-toggle');
        const toggleBox = await toggle.boundingBox();
        expect(toggleBox!.y).toBeLessThan(844);
        if (javaScript) await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
        await shot(p, `visitor-390-landing-js-${javaScript ? 'on' : 'off'}`);
        await toggle.click();
        await expect(filters.isVisible()).resolves.toBe(true);
        if (javaScript) await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
        await shot(p, `visitor-390-filters-js-${javaScript ? 'on' : 'off'}`);
        await p.locator('#facet-country input[type=checkbox]').first().check();
        if (!javaScript) await p.locator('.apply-bar .button').click();
        await p.waitForURL((u) => search(u.toString()).getAll('country').length === 1 && u.hash === '#results');
        await expect(filters.isVisible()).resolves.toBe(false);
        const count = await p.locator('#results').boundingBox();
        expect(count!.y).toBeGreaterThanOrEqual(0);
        expect(count!.y + count!.height).toBeLessThanOrEqual(844);
        if (javaScript) await expect(p.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe('results');
        await expect(toggle.innerText()).resolves.toBe('Filters (1)');
        await shot(p, `visitor-390-after-change-js-${javaScript ? 'on' : 'off'}`);
      } finally {
        await phone.close();
      }
    });
  }

  test('desktop keyboard users reach the first filter within a few Tab stops, through a visible "Skip to filters"', async () => {
    await page.goto(server.url);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const skip = page.locator('.skip-link[href="#filters"]');
    await expect(page.evaluate('document.activeElement && document.activeElement.textContent')).resolves.toBe('Skip to filters');
    const box = await skip.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    let reached = false;
    for (let i = 0; i < 4 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate("!!document.activeElement.closest('#filters') && document.activeElement.tagName !== 'ASIDE'")) as boolean;
    }
    expect(reached).toBe(true);
  });

  test('axe finds no violations on the search, no-results, facet list, resource and staff pages, at both widths', async () => {
    const first = (await api('')).hits[0]!;
    const pages: [string, string][] = [
      ['search', '/'],
      ['search-filtered', '/?q=migrant&country=NPL&from=2010&to=2019&undated=include'],
      ['no-results', '/?q=zzqxvj&country=NPL'],
      ['facet-list', '/facets/publisher?order=label'],
      ['resource', `/resources/${encodeURIComponent(first.id)}?pos=1`],
      ['staff-sign-in', '/staff/sign-in'],
    ];
    const failures: string[] = [];
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: width === 390 ? 844 : 900 } });
      const p = await context.newPage();
      for (const [name, url] of pages) {
        await p.goto(`${server.url}${url}`);
        if (name === 'search' && width === 390) await p.locator('.filters-toggle').click();
        for (const v of await axeViolations(p)) failures.push(`${name} @${width}: ${v}`);
        await shot(p, `visitor-${width}-${name}`);
      }
      // Staff pages behind the sign-in.
      await p.goto(`${server.url}/staff/sign-in`);
      await p.getByLabel('Name').fill('amina');
      await p.getByLabel('Password').fill(PASSWORD);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.waitForURL(/\/staff$/);
      for (const v of await axeViolations(p)) failures.push(`staff @${width}: ${v}`);
      await shot(p, `visitor-${width}-staff`);
      await p.goto(`${server.url}/staff/runs`);
      for (const v of await axeViolations(p)) failures.push(`staff runs @${width}: ${v}`);
      await context.close();
    }
    expect(failures).toEqual([]);
  });

  test('no page logged a console error (a missing favicon used to)', () => {
    expect(consoleErrors).toEqual([]);
  });
});
