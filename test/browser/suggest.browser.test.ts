/**
 * Suggestions as you type in a real browser (Debian chromium driven by playwright-core), by
 * keyboard only, against the real app and engine (CORRIDOR_TEST_ENGINE picks it): the search box
 * is an ARIA 1.2 combobox (listbox, aria-activedescendant, aria-expanded, a polite count); Down,
 * Up, Home, End, Enter and Escape; a chosen country becomes a filter of the search (added to the
 * filters already chosen), a chosen title opens the record; typing fast sends few requests; the
 * strict CSP is never violated; axe finds nothing on pages with the list open; with JavaScript
 * off the box is a plain search field. Screenshots at 1280 and 390 px go to test-artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildTestApp, PROJECT_ROOT, type TestApp } from '../support/test-app';
import { axeViolations } from '../support/axe';
import { listen, type RunningServer } from '../support/server';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
const describeIfChromium = fs.existsSync(CHROMIUM) || process.env.CI === 'true' ? describe : describe.skip;

jest.setTimeout(120_000);

/** Moves focus with Tab, as a keyboard user does, until the element is focused. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`document.activeElement === document.querySelector(${JSON.stringify(selector)})`)) return;
  }
  throw new Error(`${selector} was not reached with Tab`);
}

const attr = (page: Page, selector: string, name: string) => page.getAttribute(selector, name);
const activeText = (page: Page, input: string) =>
  page.evaluate(`(() => { const id = document.querySelector(${JSON.stringify(input)}).getAttribute('aria-activedescendant'); return id ? document.getElementById(id).textContent : null; })()`) as Promise<string | null>;

describeIfChromium('suggestions as you type, by keyboard', () => {
  let t: TestApp;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const suggestRequests: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await buildTestApp();
    server = await listen(t.app);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.addInitScript(
      "window.violations = []; document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ': ' + e.blockedURI));",
    );
    page.on('request', (r) => {
      if (r.url().includes('/api/suggest')) suggestRequests.push(new URL(r.url()).searchParams.get('q') ?? '');
    });
  });
  afterEach(async () => {
    expect(await page.evaluate('window.violations || []')).toEqual([]);
    await context.close();
  });

  it('chooses a country with the arrow keys and Enter: the search is filtered by it', async () => {
    await page.goto(`${server.url}/`);
    await tabTo(page, '#q');
    expect(await attr(page, '#q', 'role')).toBe('combobox');
    expect(await attr(page, '#q', 'aria-expanded')).toBe('false');
    await page.keyboard.type('nep');
    await page.waitForSelector('#q-suggestions:not([hidden])');
    expect(await attr(page, '#q', 'aria-expanded')).toBe('true');
    expect(await attr(page, '#q', 'aria-controls')).toBe('q-suggestions');
    const options = await page.locator('#q-suggestions [role="option"]').count();
    expect(options).toBeGreaterThan(2);
    // The count is announced politely to screen readers.
    expect(await page.textContent('#q-suggestions ~ [role="status"]')).toBe(`${options} suggestions. Use the up and down arrow keys to choose one.`);

    // Focus stays in the box; the option reached is its active descendant.
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate("document.activeElement.id")).toBe('q');
    expect(await activeText(page, '#q')).toMatch(/^Nepal, Country · \d+ publications$/);
    expect(await page.getAttribute('#q-suggestions-0', 'aria-selected')).toBe('true');
    await page.keyboard.press('End');
    expect(await attr(page, '#q', 'aria-activedescendant')).toBe(`q-suggestions-${options - 1}`);
    await page.keyboard.press('ArrowDown');
    expect(await attr(page, '#q', 'aria-activedescendant')).toBe('q-suggestions-0');
    await page.keyboard.press('ArrowUp');
    expect(await attr(page, '#q', 'aria-activedescendant')).toBe(`q-suggestions-${options - 1}`);
    await page.keyboard.press('Home');
    expect(await attr(page, '#q', 'aria-activedescendant')).toBe('q-suggestions-0');
    await page.screenshot({ path: path.join(ARTIFACTS, 'suggest-1280-country.png') });
    expect(await axeViolations(page)).toEqual([]);

    // Escape closes the list and keeps the words; Down opens it again.
    await page.keyboard.press('Escape');
    expect(await attr(page, '#q', 'aria-expanded')).toBe('false');
    expect(await attr(page, '#q', 'aria-activedescendant')).toBeNull();
    expect(await page.inputValue('#q')).toBe('nep');
    await page.keyboard.press('ArrowDown');
    expect(await activeText(page, '#q')).toMatch(/^Nepal,/);

    await Promise.all([page.waitForURL(/country=NPL/), page.keyboard.press('Enter')]);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/');
    expect([...url.searchParams]).toEqual([['country', 'NPL']]);
    expect(await page.textContent('.chip')).toContain('Nepal');
    expect(await page.inputValue('#q')).toBe('');
  });

  it('adds the chosen country to the filters already chosen on the search page', async () => {
    await page.goto(`${server.url}/?theme=domestic-work`);
    await tabTo(page, '#q');
    await page.keyboard.type('leban');
    await page.waitForSelector('#q-suggestions:not([hidden])');
    await page.keyboard.press('ArrowDown');
    expect(await activeText(page, '#q')).toMatch(/^Lebanon,/);
    await Promise.all([page.waitForURL(/country=LBN/), page.keyboard.press('Enter')]);
    const params = new URL(page.url()).searchParams;
    expect(params.getAll('theme')).toEqual(['domestic-work']);
    expect(params.getAll('country')).toEqual(['LBN']);
  });

  it('opens a record when its title is chosen', async () => {
    await page.goto(`${server.url}/`);
    await tabTo(page, '#q');
    await page.keyboard.type('world migration rep');
    await page.waitForSelector('#q-suggestions:not([hidden])');
    await page.keyboard.press('ArrowDown');
    expect(await activeText(page, '#q')).toBe('World Migration Report 2024, Publication · 2024');
    await Promise.all([page.waitForURL(/\/resources\//), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).pathname).toBe('/resources/iom-world-migration-report-2024');
    expect(await page.textContent('h1')).toBe('World Migration Report 2024');
  });

  it('searches for the words as typed when Enter is pressed with no suggestion chosen', async () => {
    await page.goto(`${server.url}/`);
    await tabTo(page, '#q');
    await page.keyboard.type('nepal');
    await page.waitForSelector('#q-suggestions:not([hidden])');
    await Promise.all([page.waitForURL(/q=nepal/), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).searchParams.get('q')).toBe('nepal');
  });

  it('asks the server little while someone types fast, and never for one letter', async () => {
    await page.goto(`${server.url}/`);
    await tabTo(page, '#q');
    suggestRequests.length = 0;
    await page.keyboard.type('philippines', { delay: 40 });
    await page.waitForSelector('#q-suggestions:not([hidden])');
    expect(await activeText(page, '#q')).toBeNull();
    expect(suggestRequests.length).toBeLessThanOrEqual(2);
    expect(suggestRequests[suggestRequests.length - 1]).toBe('philippines');
    // Deleting back to what was asked before is answered without a request; one letter asks nothing.
    const before = suggestRequests.length;
    for (let i = 0; i < 'pines'.length; i++) await page.keyboard.press('Backspace');
    await page.waitForTimeout(400);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('p');
    await page.waitForTimeout(400);
    expect(suggestRequests.length - before).toBeLessThanOrEqual(1);
    expect(suggestRequests).not.toContain('p');
    expect(await attr(page, '#q', 'aria-expanded')).toBe('false');
  });

  it('works in the header box of a record page, on a phone', async () => {
    await context.close();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    page = await context.newPage();
    await page.addInitScript("window.violations = []; document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective));");
    await page.goto(`${server.url}/resources/iom-world-migration-report-2024`);
    await tabTo(page, '#header-q');
    await page.keyboard.type('qat');
    await page.waitForSelector('#header-q-suggestions:not([hidden])');
    await page.keyboard.press('ArrowDown');
    expect(await activeText(page, '#header-q')).toMatch(/^Qatar,/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'suggest-390-header.png') });
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/country=QAT/), page.keyboard.press('Enter')]);
    expect([...new URL(page.url()).searchParams]).toEqual([['country', 'QAT']]);
  });

  it('leaves a plain search field when JavaScript is off', async () => {
    await context.close();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    page = await context.newPage();
    await page.goto(`${server.url}/`);
    await tabTo(page, '#q');
    expect(await attr(page, '#q', 'role')).toBeNull();
    expect(await page.locator('[role="listbox"]').count()).toBe(0);
    await page.keyboard.type('nepal');
    await Promise.all([page.waitForURL(/q=nepal/), page.keyboard.press('Enter')]);
    expect(await page.textContent('h1')).toContain('nepal');
  });
});
