#!/usr/bin/env node
/* global process -- a Node script: ESLint has no Node globals for .mjs files */
/**
 * `npm start` runs this first (the prestart script). It compiles the TypeScript only when the
 * sources differ from what dist/ was built from, so a second start does not pay for a build
 * (about 12 s) and a fresh clone, or a changed source, still gets one. What dist/ was built from is
 * a hash of every compiled source and of the compiler settings, kept in dist/.build-hash.
 *
 * Plain Node on purpose: it must run before anything is compiled.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(root, 'dist', '.build-hash');
/** What tsconfig.build.json compiles, and what decides how. */
const SOURCE_DIRS = ['src', 'indexer'];
const SETTINGS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (entry.name.endsWith('.ts')) yield full;
  }
}

function sourceHash() {
  const hash = createHash('sha256');
  const files = [...SOURCE_DIRS.flatMap((d) => [...sourceFiles(path.join(root, d))]), ...SETTINGS.map((f) => path.join(root, f))];
  for (const file of files.filter((f) => fs.existsSync(f)).sort()) {
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const wanted = sourceHash();
const built = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : '';
if (built === wanted && fs.existsSync(path.join(root, 'dist', 'src', 'main.js'))) process.exit(0);

process.stdout.write(built ? 'Sources changed since the last build: compiling …\n' : 'First start: compiling the TypeScript …\n');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  process.stderr.write('error: the TypeScript build failed (see above); `npm run build` shows the same errors.\n');
  process.exit(result.status ?? 1);
}
fs.writeFileSync(STAMP, `${wanted}\n`);
