/**
 * Files and folders named on the command line or in a file source → the files of a run, in a
 * stable order; on the command line each file is a source of its own.
 *
 * A folder is walked asynchronously (the web process keeps answering while a staff-started run
 * lists one) and within stated bounds: each real directory is entered once, however many
 * symbolic links lead to it (a link back to a parent is a loop, not an infinite tree), each real
 * file is read once, and the walk stops with a clear error past LIST_LIMITS. Named pipes, sockets
 * and devices are refused: reading one would wait for ever or never end.
 */
import type { Dirent, Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { detectFormat, specialFileKind } from './records/parse-input';
import type { FileSourceConfig } from './sources/config';

export class InputPathError extends Error {}

export interface ListLimits {
  /** Record files in one listing. */
  maxFiles: number;
  /** Folder levels below a named folder. */
  maxDepth: number;
  /** Directory entries looked at, record files or not (a folder of millions of other files). */
  maxEntries: number;
}

export const LIST_LIMITS: ListLimits = { maxFiles: 100_000, maxDepth: 32, maxEntries: 1_000_000 };

const SUPPORTED = '.ndjson, .jsonl, .json, .csv or .tsv';

/** A file's identity on disk: two paths (through links) to one file give the same key. */
function identity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

async function statOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(p);
  } catch {
    // A dangling link, a link loop (ELOOP), an entry removed meanwhile: nothing to read there.
    return undefined;
  }
}

class Walk {
  readonly files: string[] = [];
  private readonly seenDirs = new Set<string>();
  private readonly seenFiles = new Set<string>();
  private entries = 0;

  constructor(
    private readonly root: string,
    private readonly limits: ListLimits,
  ) {}

  addFile(file: string, stats: Stats): void {
    const key = identity(stats);
    if (this.seenFiles.has(key)) return;
    this.seenFiles.add(key);
    if (this.files.length >= this.limits.maxFiles) {
      throw new InputPathError(`more than ${this.limits.maxFiles} record files under ${this.root} (the limit); name fewer files or smaller folders`);
    }
    this.files.push(file);
  }

  async folder(dir: string, stats: Stats, depth: number): Promise<void> {
    const key = identity(stats);
    if (this.seenDirs.has(key)) return;
    this.seenDirs.add(key);
    if (depth > this.limits.maxDepth) {
      throw new InputPathError(`${this.root} has folders nested deeper than ${this.limits.maxDepth} levels (the limit), e.g. ${dir}`);
    }
    let handle;
    try {
      handle = await fs.opendir(dir, { bufferSize: 256 });
    } catch (err) {
      throw new InputPathError(`${dir}: cannot be listed (${(err as Error).message})`);
    }
    // Read the whole directory first (the handle closes at the end of iteration), then descend:
    // depth-first with one open directory at a time.
    const subfolders: [string, Stats][] = [];
    for await (const entry of handle) {
      if (++this.entries > this.limits.maxEntries) {
        throw new InputPathError(`more than ${this.limits.maxEntries} entries under ${this.root} (the limit)`);
      }
      const full = path.join(dir, entry.name);
      const target = await this.resolve(entry, full);
      if (target === undefined) continue;
      if (target.isDirectory()) subfolders.push([full, target]);
      else if (detectFormat(full) !== undefined) {
        if (!target.isFile()) throw new InputPathError(`${full} is ${specialFileKind(target)}, not a regular file; only regular files are read`);
        this.addFile(full, target);
      }
    }
    for (const [sub, subStats] of subfolders) await this.folder(sub, subStats, depth + 1);
  }

  /** What an entry is, links followed; undefined for what cannot be an input. */
  private async resolve(entry: Dirent, full: string): Promise<Stats | undefined> {
    if (entry.isSymbolicLink()) return statOrUndefined(full);
    if (entry.isDirectory() || entry.isFile() || detectFormat(full) !== undefined) return statOrUndefined(full);
    return undefined;
  }
}

/**
 * Every supported file under the given paths, sorted per named path, so the same paths always
 * give the same run. Throws InputPathError for a missing path, a special file, a folder without
 * record files, or a listing past `limits`.
 */
export async function listInputFiles(paths: string[], limits: Partial<ListLimits> = {}): Promise<string[]> {
  const bounds = { ...LIST_LIMITS, ...limits };
  const files: string[] = [];
  for (const p of paths) {
    const full = path.resolve(p);
    const stats = await statOrUndefined(full);
    if (stats === undefined) throw new InputPathError(`no such file or folder: ${p}`);
    if (stats.isDirectory()) {
      const walk = new Walk(p, bounds);
      await walk.folder(full, stats, 0);
      if (walk.files.length === 0) throw new InputPathError(`no ${SUPPORTED} files in ${p}`);
      files.push(...walk.files.sort());
    } else if (!stats.isFile()) {
      throw new InputPathError(`${p} is ${specialFileKind(stats)}, not a regular file; only regular files are read`);
    } else {
      if (detectFormat(full) === undefined) throw new InputPathError(`${p}: unknown format; use ${SUPPORTED}`);
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
export async function fileSources(paths: string[]): Promise<FileSourceConfig[]> {
  return (await listInputFiles(paths)).map((file) => fileSourceConfig(file));
}
