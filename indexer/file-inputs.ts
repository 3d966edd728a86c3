/** Files and folders named on the command line → ingest inputs, in a stable order. */
import fs from 'node:fs';
import path from 'node:path';
import type { IngestInput, RecordItem } from './ingest-job';
import { detectFormat, readInputFile } from './records/parse-input';

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

export function fileInput(file: string, displayName = path.relative(process.cwd(), file) || file): IngestInput {
  return {
    name: displayName,
    async *read(): AsyncIterable<RecordItem> {
      for await (const item of readInputFile(file, { source: displayName })) {
        if (item.kind === 'record') yield { source: item.source, position: item.position, raw: item.raw };
        else yield { source: item.source, position: item.position, error: item.error };
      }
    },
  };
}
