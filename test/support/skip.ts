/**
 * Suites that need something a machine may not have (a real Elasticsearch, a three-node cluster,
 * Chromium). Without it they are reported by the runner as skipped, with the reason in their name
 * and a note on the console, never as passing placeholder tests; under CI (CI=true), where
 * everything is installed, a missing piece fails the run instead.
 */

/**
 * describe() when `missing` is undefined. Otherwise the suite is declared with describe.skip (its
 * tests show as skipped, the name says why), or, in CI, fails with the reason.
 */
export function describeIfAvailable(missing: string | undefined, name: string, body: () => void, howToEnable?: string): void {
  if (missing === undefined) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`cannot run: ${missing}`, () => {
        throw new Error(`${name} must run in CI, but ${missing}.`);
      });
    });
    return;
  }
  console.warn(`${name}: skipped, ${missing}.${howToEnable ? ` ${howToEnable}` : ''}`);
  describe.skip(`${name} (skipped: ${missing})`, body);
}
