/**
 * The sources file (docs/sources.md): which sources a harvest reads, and how each one's items
 * become records of the project's format. Validated as a whole so that staff see every mistake at
 * once, each named by source and field, instead of one per nightly run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { RECORD_FIELDS, type RecordField } from '../records/record-schema';
import { canonicalEncoding } from '../records/text-lines';

export const SOURCE_KINDS = ['file', 'http-json', 'rss', 'atom', 'oai-pmh'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Record fields a mapping may fill. */
export const MAPPED_FIELDS = RECORD_FIELDS;
export type MappedField = RecordField;

export const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const int = (min: number, max: number) => z.number().int().min(min).max(max);

const httpOptionsSchema = z.strictObject({
  /** Whole request, body included. */
  timeoutMs: int(100, 600_000).default(30_000),
  /** Further attempts after the first one, on network errors, timeouts, 408, 429 and 5xx. */
  retries: int(0, 10).default(2),
  /** First back-off delay; doubled each attempt, with jitter. */
  retryDelayMs: int(0, 60_000).default(1000),
  /** Upper bound of one back-off delay, including one asked for by Retry-After. */
  maxRetryDelayMs: int(0, 600_000).default(30_000),
  /** Largest (decompressed) response body accepted. */
  maxBytes: int(1, 1 << 30).default(20 * 1024 * 1024),
  headers: z.record(z.string().min(1), z.string()).default({}),
});
export type HttpOptions = z.output<typeof httpOptionsSchema>;
const defaultHttpOptions = (): HttpOptions => httpOptionsSchema.parse({});

const pathString = z.string().min(1, 'must not be empty').max(500);
const mappingSchema = z
  .record(z.string(), z.union([pathString, z.array(pathString).min(1).max(20)]))
  .superRefine((mapping, ctx) => {
    for (const key of Object.keys(mapping)) {
      if (!(MAPPED_FIELDS as readonly string[]).includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `not a record field (expected one of ${MAPPED_FIELDS.join(', ')})`,
        });
      }
    }
  });
export type FieldMapping = Partial<Record<MappedField, string | string[]>>;

const defaultValue = z.union([z.string(), z.number(), z.array(z.string())]);
const defaultsSchema = z.record(z.string(), defaultValue).superRefine((defaults, ctx) => {
  for (const key of Object.keys(defaults)) {
    if (key === 'id' || !(RECORD_FIELDS as readonly string[]).includes(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `not a record field a default can be given for (expected one of ${RECORD_FIELDS.filter((f) => f !== 'id').join(', ')})`,
      });
    }
  }
});
export type FieldDefaults = Partial<Record<Exclude<RecordField, 'id'>, string | number | string[]>>;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' });

const common = {
  id: z.string().regex(SOURCE_ID, 'must be 1-64 lower-case letters, digits and hyphens, starting with a letter or digit'),
  label: z.string().min(1).max(200).optional(),
  enabled: z.boolean().default(true),
  mapping: mappingSchema.optional(),
  defaults: defaultsSchema.optional(),
  /**
   * Full runs remove this source's records that it no longer lists. Off by default for feeds,
   * which list only their latest items: an item scrolling off a feed was not withdrawn.
   */
  prune: z.boolean().optional(),
  comment: z.string().optional(),
};

const fileSchema = z.strictObject({
  ...common,
  kind: z.literal('file'),
  /** A file or a folder (every .ndjson/.jsonl/.json/.csv/.tsv inside), relative to the sources file. */
  location: z.string().min(1, 'must not be empty'),
  /** Overrides detection from the file extension (a single file only). */
  format: z.enum(['ndjson', 'json', 'csv', 'tsv']).optional(),
  /** The files' character encoding when it is not UTF-8 (a byte order mark overrides it). */
  encoding: z
    .string()
    .refine((label) => canonicalEncoding(label) !== undefined, {
      error: 'not an encoding this version of Node can read (e.g. "utf-8", "windows-1252", "latin1", "utf-16le")',
    })
    .optional(),
  /** Longest NDJSON line or CSV record in bytes; longer ones are rejected with their line. */
  maxRecordBytes: int(1024, 64 * 1024 * 1024).optional(),
});

const paginationSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('none') }),
    z.strictObject({
      type: z.literal('page'),
      param: z.string().min(1).default('page'),
      start: int(0, 1_000_000).default(1),
      sizeParam: z.string().min(1).optional(),
      size: int(1, 10_000).optional(),
    }),
    z.strictObject({
      type: z.literal('offset'),
      param: z.string().min(1).default('offset'),
      limitParam: z.string().min(1).default('limit'),
      limit: int(1, 10_000).default(100),
    }),
    z.strictObject({
      type: z.literal('next-link'),
      /** Where the next page's URL is in the body; without it, the Link header's rel="next". */
      nextPath: pathString.optional(),
    }),
    z.strictObject({
      type: z.literal('cursor'),
      param: z.string().min(1).default('cursor'),
      cursorPath: pathString,
    }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'expected one of none, page, offset, next-link, cursor' : undefined) },
);
export type Pagination = z.output<typeof paginationSchema>;

const httpJsonSchema = z.strictObject({
  ...common,
  kind: z.literal('http-json'),
  location: httpUrl,
  /** Where the list of items is in each response body; absent: the body is the list. */
  itemsPath: pathString.optional(),
  pagination: paginationSchema.default({ type: 'none' }),
  maxPages: int(1, 100_000).default(100),
  /** Query parameter that receives the date of the last successful harvest in incremental runs. */
  sinceParam: z.string().min(1).optional(),
  http: httpOptionsSchema.default(defaultHttpOptions),
});

const feedFields = {
  ...common,
  location: httpUrl,
  http: httpOptionsSchema.default(defaultHttpOptions),
};
const rssSchema = z.strictObject({ ...feedFields, kind: z.literal('rss') });
const atomSchema = z.strictObject({ ...feedFields, kind: z.literal('atom') });

const oaiSchema = z.strictObject({
  ...common,
  kind: z.literal('oai-pmh'),
  /** The repository's base URL, without verb or other arguments. */
  location: httpUrl,
  metadataPrefix: z.string().min(1).default('oai_dc'),
  set: z.string().min(1).optional(),
  maxPages: int(1, 100_000).default(1000),
  http: httpOptionsSchema.default(defaultHttpOptions),
});

const sourceSchema = z.discriminatedUnion('kind', [fileSchema, httpJsonSchema, rssSchema, atomSchema, oaiSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? `expected one of ${SOURCE_KINDS.join(', ')}` : undefined),
});

const sourcesFileSchema = z.strictObject({
  sources: z.array(sourceSchema),
  comment: z.string().optional(),
});

/**
 * Checked on the raw input rather than as a zod refinement, which would only run once every
 * other problem is fixed: staff should see all their mistakes in one go.
 */
function duplicateIdProblems(input: unknown): { index: number; message: string }[] {
  const sources = (input as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(sources)) return [];
  const first = new Map<string, number>();
  const out: { index: number; message: string }[] = [];
  sources.forEach((source: unknown, index) => {
    const id = source !== null && typeof source === 'object' ? (source as { id?: unknown }).id : undefined;
    if (typeof id !== 'string') return;
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, index);
    else out.push({ index, message: `${describePath(['sources', index, 'id'], input)}: "${id}" is already the id of sources[${earlier}]` });
  });
  return out;
}

type Parsed = z.output<typeof sourceSchema>;
type Resolved<T> = Omit<T, 'prune' | 'comment'> & { prune: boolean };

export type FileSourceConfig = Resolved<Extract<Parsed, { kind: 'file' }>>;
export type HttpJsonSourceConfig = Resolved<Extract<Parsed, { kind: 'http-json' }>>;
export type FeedSourceConfig = Resolved<Extract<Parsed, { kind: 'rss' | 'atom' }>>;
export type OaiPmhSourceConfig = Resolved<Extract<Parsed, { kind: 'oai-pmh' }>>;
export type SourceConfig = FileSourceConfig | HttpJsonSourceConfig | FeedSourceConfig | OaiPmhSourceConfig;

export class SourcesFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid sources file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SourcesFileError';
  }
}

/** "sources[2] (ilo-feed): pagination.type" — the index always, the id when there is one. */
function describePath(issuePath: readonly PropertyKey[], input: unknown): string {
  if (issuePath.length === 0) return '(file)';
  if (issuePath[0] === 'sources' && typeof issuePath[1] === 'number') {
    const index = issuePath[1];
    const raw = (input as { sources?: unknown[] } | null)?.sources?.[index];
    const id = raw !== null && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
    const who = `sources[${index}]${typeof id === 'string' && id !== '' ? ` (${id})` : ''}`;
    const rest = issuePath.slice(2).map(String).join('.');
    return rest === '' ? who : `${who}: ${rest}`;
  }
  return issuePath.map(String).join('.');
}

/**
 * Validates a parsed sources file. File locations are resolved against `baseDir` (the sources
 * file's folder) so that the file means the same whatever the process's working directory.
 */
export function parseSourcesConfig(input: unknown, baseDir: string, file = 'sources file'): SourceConfig[] {
  const parsed = sourcesFileSchema.safeParse(input);
  const problems = (parsed.success ? [] : parsed.error.issues).map((issue) => ({
    index: typeof issue.path[1] === 'number' && issue.path[0] === 'sources' ? issue.path[1] : Number.MAX_SAFE_INTEGER,
    message: `${describePath(issue.path, input)}: ${issue.message}`,
  }));
  problems.push(...duplicateIdProblems(input));
  if (!parsed.success || problems.length > 0) {
    // Stable sort: the problems of one source together, in the order the file lists sources.
    throw new SourcesFileError(file, problems.sort((a, b) => a.index - b.index).map((p) => p.message));
  }
  return parsed.data.sources.map((source): SourceConfig => {
    const { comment: _comment, prune, ...rest } = source;
    void _comment;
    const resolvedPrune = prune ?? (source.kind !== 'rss' && source.kind !== 'atom');
    if (rest.kind === 'file') return { ...rest, location: path.resolve(baseDir, rest.location), prune: resolvedPrune };
    return { ...rest, prune: resolvedPrune };
  });
}

/** Reads and validates a sources file; throws SourcesFileError listing every problem. */
export function loadSourcesFile(file: string): SourceConfig[] {
  const full = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(full, 'utf8');
  } catch (err) {
    throw new SourcesFileError(full, [`cannot be read: ${(err as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new SourcesFileError(full, [`is not valid JSON: ${(err as Error).message}`]);
  }
  return parseSourcesConfig(json, path.dirname(full), full);
}
