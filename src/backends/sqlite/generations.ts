/**
 * Index generations on disk. Each committed generation is an immutable SQLite file; a small
 * pointer file (current.json) names the live one and the previous one. Swapping the pointer with
 * rename() is atomic, so a reader sees either the old or the new generation, never a mixture.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

export interface GenerationPointer {
  current: GenerationInfo;
  previous?: GenerationInfo;
}

export interface GenerationInfo {
  generation: string;
  file: string;
  builtAt: string;
  runId: string;
  documents: number;
}

const POINTER = 'current.json';
const BUILDING_SUFFIX = '.building.sqlite';

export function indexDir(dataDir: string): string {
  return path.join(dataDir, 'index');
}

export function readPointer(dataDir: string): GenerationPointer | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(indexDir(dataDir), POINTER), 'utf8')) as GenerationPointer;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function writePointer(dataDir: string, pointer: GenerationPointer): void {
  const dir = indexDir(dataDir);
  const tmp = path.join(dir, `${POINTER}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, JSON.stringify(pointer, null, 2));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, POINTER));
}

export function newGenerationName(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `gen-${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}

/** A run id as it appears in a file name: only characters every file system takes. */
function runTag(runId: string | undefined): string {
  return runId === undefined ? 'no-run' : `run~${runId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** `<generation>.<run tag>.building.sqlite`: the run that builds it is in the name. */
export function buildingFile(dataDir: string, generation: string, runId?: string): string {
  return path.join(indexDir(dataDir), `${generation}.${runTag(runId)}${BUILDING_SUFFIX}`);
}

export function committedFile(generation: string): string {
  return `${generation}.sqlite`;
}

/**
 * Removes generations that are neither live nor kept for rollback, and files of builds that
 * died. Called when a new run starts, never right after a swap: a search in another process may
 * still be reading the generation that was live a moment ago. A build in progress belongs to the
 * run holding the ingest lease: every build of another run (`buildsInProgress` are the run ids
 * that may be building now) is the leftover of a run that died, removed at once.
 */
export function removeStaleGenerations(dataDir: string, buildsInProgress: readonly (string | undefined)[] = []): string[] {
  const dir = indexDir(dataDir);
  const pointer = readPointer(dataDir);
  const keep = new Set([pointer?.current.file, pointer?.previous?.file].filter(Boolean));
  const alive = new Set(buildsInProgress.filter((r) => r !== undefined).map((r) => `.${runTag(r)}${BUILDING_SUFFIX}`));
  const removed: string[] = [];
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!name.startsWith('gen-')) continue;
    // A build's side files (journal, the staging file of its completion keys) go with it.
    const base = name.replace(/(-(wal|shm|journal|staging))+$/, '');
    if (base.endsWith(BUILDING_SUFFIX)) {
      if ([...alive].some((tail) => base.endsWith(tail))) continue;
    } else if (keep.has(base)) {
      continue;
    }
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
