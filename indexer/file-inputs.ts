/** Files and folders named on the command line → file sources of a run, in a stable order. */
import fs from 'node:fs';
import path from 'node:path';
import { detectFormat } from './records/parse-input';
import type { FileSourceConfig } from './sources/config';

export class InputPathError extends Error {}

/** Every supported file under the given paths, sorted, so the same paths always give the same run. */
export function listInputFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    const full = path.resolve(p);
    if (!fs.existsSync(full)) throw new InputPathError(`no such file or folder: ${p}`);
    if (fs.statSync(full).isDirectory()) {
      const inside = fs
        .readdirSync(full, { recursive: true, encoding: 'utf8' })
        .map((name) => path.join(full, name))
        .filter((f) => fs.statSync(f).isFile() && detectFormat(f) !== undefined)
        .sort();
      if (inside.length === 0) throw new InputPathError(`no .ndjson, .jsonl, .json, .csv or .tsv files in ${p}`);
      files.push(...inside);
    } else {
      if (detectFormat(full) === undefined) {
        throw new InputPathError(`${p}: unknown format; use .ndjson, .jsonl, .json, .csv or .tsv`);
      }
      files.push(full);
    }
  }
  return files;
}

/**
 * One file as a source of a run (`npm run ingest`): its id, and so its records' `source`, is its
 * path as given relative to the working directory, the name its rejected records are reported by.
 */
export function fileSourceConfig(file: string, id = path.relative(process.cwd(), file) || file): FileSourceConfig {
  return { id, kind: 'file', location: file, enabled: true, prune: true };
}

/** Every supported file under the given paths, each a source. */
export function fileSources(paths: string[]): FileSourceConfig[] {
  return listInputFiles(paths).map((file) => fileSourceConfig(file));
}
