/**
 * The layering the README states is enforced by the lint configuration (eslint.config.mjs), not
 * only described: each case lints one import, as if written in a file of that layer, with the
 * project's own configuration, and checks whether the boundary rule refuses it. (The import
 * rules need no type information, so the probes skip the type-aware ones.)
 */
import { execFileSync } from 'node:child_process';
import { PROJECT_ROOT } from '../support/test-app';

interface Probe {
  file: string;
  from: string;
}

const cases: [Probe, boolean][] = [
  // The core: no adapter, no driver, no Express, nothing of the jobs, the web or the indexer.
  [{ file: 'src/search/probe.ts', from: '../backends/sqlite' }, false],
  [{ file: 'src/search/probe.ts', from: 'express' }, false],
  [{ file: 'src/search/probe.ts', from: 'better-sqlite3' }, false],
  [{ file: 'src/search/vocabulary/probe.ts', from: '../../jobs/lease' }, false],
  [{ file: 'src/search/probe.ts', from: './ports' }, true],
  // The web layer: ports, never a concrete store or backend.
  [{ file: 'src/web/staff/probe.ts', from: '../../backends/sqlite/operations-store' }, false],
  [{ file: 'src/web/probe.ts', from: '@elastic/elasticsearch' }, false],
  [{ file: 'src/web/staff/probe.ts', from: '../../../indexer/run-jobs' }, false],
  [{ file: 'src/web/staff/probe.ts', from: '../../jobs/run-history' }, true],
  // The job layer: ports, and nothing about search.
  [{ file: 'src/jobs/probe.ts', from: '../backends/sqlite/sqlite-run-history' }, false],
  [{ file: 'src/jobs/probe.ts', from: '../search/ports' }, false],
  [{ file: 'src/jobs/probe.ts', from: './lease' }, true],
  // Only the backends use the drivers; they know nothing of the web.
  [{ file: 'src/backends/sqlite/probe.ts', from: 'better-sqlite3' }, true],
  [{ file: 'src/backends/elasticsearch/probe.ts', from: '../../web/app' }, false],
  [{ file: 'indexer/probe.ts', from: 'better-sqlite3' }, false],
  [{ file: 'indexer/probe.ts', from: '../src/search/ports' }, true],
  // The composition roots wire concrete backends in.
  [{ file: 'src/main.ts', from: './backends/open-backend' }, true],
  [{ file: 'src/main.ts', from: '@elastic/elasticsearch' }, false],
];

/** Lints each probe in one ESLint process; returns the messages of no-restricted-imports per probe. */
function lint(probes: Probe[]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const probes = JSON.parse(process.argv[1]);
    const eslint = new ESLint({
      overrideConfig: [{
        languageOptions: { parserOptions: { projectService: false } },
        rules: {
          '@typescript-eslint/no-floating-promises': 'off',
          '@typescript-eslint/await-thenable': 'off',
          '@typescript-eslint/no-misused-promises': 'off',
        },
      }],
    });
    const out = [];
    for (const p of probes) {
      const [result] = await eslint.lintText(\`import * as probe from '\${p.from}';\\nexport const used = probe;\\n\`, { filePath: p.file });
      out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.fatal).map((m) => m.message));
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(probes)], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  return JSON.parse(stdout) as string[][];
}

test('the lint configuration refuses every import that crosses a layer, and allows those that do not', () => {
  const results = lint(cases.map(([probe]) => probe));
  const verdicts = cases.map(([probe, allowed], i) => ({ ...probe, allowed, messages: results[i] }));
  for (const v of verdicts) {
    if (v.allowed) expect({ ...v, messages: v.messages }).toEqual({ ...v, messages: [] });
    else expect(v.messages.length).toBeGreaterThan(0);
  }
  // Messages say what to do instead.
  expect(verdicts[5]!.messages[0]).toMatch(/ports/);
  expect(verdicts[10]!.messages[0]).toMatch(/knows nothing about search/);
}, 60_000);
