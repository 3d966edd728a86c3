/**
 * One zod schema over the environment. Start-up fails fast with every problem listed, instead
 * of the first one surfacing hours later in a nightly run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const share = z.coerce.number().min(0).max(1);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  CORRIDOR_DATA_DIR: z.string().min(1).default('./data'),
  CORRIDOR_SAMPLE_DATA: z.string().min(1).default('./data-sample'),
  CORRIDOR_ENGINE: z.enum(['sqlite', 'elasticsearch']).default('sqlite'),
  CORRIDOR_SITE_NAME: z.string().min(1).default('Corridor'),
  CORRIDOR_TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** The portal's public address, for absolute links (canonical URLs, feeds, sitemaps, OAI-PMH). */
  CORRIDOR_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' })
    .refine((v) => {
      if (!URL.canParse(v)) return true; // reported by .url() above
      const u = new URL(v);
      return (u.pathname === '/' || u.pathname === '') && u.search === '' && u.hash === '' && u.username === '' && u.password === '';
    }, 'must be the site\'s origin only, e.g. https://corridor.example.org (no path, query, fragment or credentials: Corridor is served from the root)')
    .optional(),
  /** The repository contact OAI-PMH Identify names. */
  CORRIDOR_ADMIN_EMAIL: z.email().optional(),
  /** Signs OAI-PMH resumption tokens; give every web process the same one. */
  CORRIDOR_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Share of rejected records above which a run fails and commits nothing. */
  CORRIDOR_MAX_REJECT_RATE: share.default(0.2),
  /** Largest share of the live index a rebuild may drop before it is refused. */
  CORRIDOR_MAX_DROP_SHARE: share.default(0.5),
  /** Worker threads that prepare records during an ingest run; 0: none (all in one thread). Default: one per core. */
  CORRIDOR_INGEST_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  // Elasticsearch (CORRIDOR_ENGINE=elasticsearch)
  CORRIDOR_ES_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Several nodes of one cluster, comma-separated; requests go round those that answer. Overrides CORRIDOR_ES_URL. */
  CORRIDOR_ES_NODES: z
    .string()
    .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1))
    .optional(),
  CORRIDOR_ES_USERNAME: z.string().optional(),
  CORRIDOR_ES_PASSWORD: z.string().optional(),
  CORRIDOR_ES_API_KEY: z.string().optional(),
  /** Path to a PEM file with the CA that signed the cluster's certificate. */
  CORRIDOR_ES_CA_CERT: z.string().optional(),
  CORRIDOR_ES_INDEX_PREFIX: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, 'lower-case letters, digits, - and _').default('corridor'),
  CORRIDOR_ES_SHARDS: z.coerce.number().int().min(1).max(64).default(1),
  CORRIDOR_ES_REPLICAS: z.coerce.number().int().min(0).max(8).default(0),
  CORRIDOR_ES_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  /** Merge a new generation's segments into one before it goes live. */
  CORRIDOR_ES_FORCE_MERGE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Index files each new generation loads into memory when it opens (index.store.preload): `*`, a comma-separated list of extensions, or `none`. */
  CORRIDOR_ES_PRELOAD: z
    .string()
    .regex(/^(none|\*|[a-z0-9]+(,[a-z0-9]+)*)$/, 'use *, none, or file extensions separated by commas (nvd,dvd,tim)')
    .default('*')
    .transform((v) => (v === 'none' ? [] : v.split(','))),
  /** Start-up: how many more times to try a cluster that does not answer yet, and the first delay (doubled each time). */
  CORRIDOR_ES_STARTUP_RETRIES: z.coerce.number().int().min(0).max(100).default(10),
  CORRIDOR_ES_STARTUP_DELAY_MS: z.coerce.number().int().min(10).max(60_000).default(1000),

  // Staff and scheduled ingestion
  /** Staff accounts: "name:scrypt-hash" pairs separated by whitespace or commas (see `npm run corridor -- hash-password`). */
  CORRIDOR_STAFF_ACCOUNTS: z.string().optional(),
  /** Signs session cookies; at least 32 characters. Required when staff accounts are configured. */
  CORRIDOR_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CORRIDOR_SOURCES_FILE: z.string().min(1).default('./sources.json'),
  CORRIDOR_NIGHTLY: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  CORRIDOR_NIGHTLY_CRON: z.string().min(9).default('0 2 * * *'),
  /** full: re-read every source and drop what vanished; incremental: changes since the last run. */
  CORRIDOR_NIGHTLY_MODE: z.enum(['full', 'incremental']).default('full'),
  CORRIDOR_TIMEZONE: z.string().min(1).default('UTC'),
  /** How long an ingest lock lasts without a heartbeat before another process may take it over. */
  CORRIDOR_LOCK_TTL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  // Search worker threads of the web process on the embedded engine; 0 answers searches in the main thread.
  CORRIDOR_SEARCH_WORKERS: z.coerce.number().int().min(0).max(64).default(Math.min(2, os.availableParallelism())),
});

export type RawEnv = Record<string, string | undefined>;

export interface Config {
  port: number;
  host?: string;
  dataDir: string;
  sampleData: string;
  engine: 'sqlite' | 'elasticsearch';
  siteName: string;
  trustProxy: boolean;
  /** Origin of the public site ("https://corridor.example.org"); derived from each request when absent. */
  publicUrl?: string;
  /** Key of OAI-PMH resumption tokens; a random one per process when absent. */
  tokenSecret?: string;
  adminEmail?: string;
  maxRejectRate: number;
  maxDropShare: number;
  /** Record preparation threads of an ingest run (undefined: one per core). */
  ingestThreads?: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  elasticsearch: {
    url?: string;
    nodes?: string[];
    username?: string;
    password?: string;
    apiKey?: string;
    caCertPath?: string;
    indexPrefix: string;
    shards: number;
    replicas: number;
    timeoutMs: number;
    /** Merge each new generation into one segment before it goes live. */
    forceMerge?: boolean;
    /** Index files a generation loads into memory when it opens (index.store.preload); empty: none. */
    preload?: string[];
    /** Start-up waits for the cluster: further attempts, first delay. */
    startupRetries: number;
    startupDelayMs: number;
  };
  staff: {
    /** Raw "name:hash" list; parsed by the staff module. */
    accounts?: string;
    sessionSecret?: string;
  };
  sourcesFile: string;
  nightly: { enabled: boolean; cron: string; timezone: string; mode: 'full' | 'incremental' };
  lockTtlMs: number;
  /** Embedded engine: search worker threads of the web process (0: none). */
  searchWorkers: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Why a file cannot be read, or undefined when it can. */
function unreadableFile(file: string): string | undefined {
  try {
    if (!fs.statSync(file).isFile()) return `${file} is not a file`;
    fs.accessSync(file, fs.constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read (${String(code ?? (err as Error).message)})`;
  }
}

/** Empty strings count as unset, as they do in most shells' `VAR= command`. */
function withoutEmpty(env: RawEnv): RawEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
}

export function loadConfig(env: RawEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])])})`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.CORRIDOR_ENGINE === 'elasticsearch' && !e.CORRIDOR_ES_URL && !e.CORRIDOR_ES_NODES) {
    problems.push('CORRIDOR_ES_URL (or CORRIDOR_ES_NODES): required when CORRIDOR_ENGINE=elasticsearch');
  }
  if ((e.CORRIDOR_ES_USERNAME === undefined) !== (e.CORRIDOR_ES_PASSWORD === undefined)) {
    problems.push('CORRIDOR_ES_USERNAME and CORRIDOR_ES_PASSWORD: give both or neither');
  }
  if (e.CORRIDOR_ES_CA_CERT) {
    const problem = unreadableFile(path.resolve(cwd, e.CORRIDOR_ES_CA_CERT));
    if (problem) problems.push(`CORRIDOR_ES_CA_CERT: ${problem}; give the path of the PEM file of the CA that signed the cluster's certificate`);
  }
  if (e.CORRIDOR_STAFF_ACCOUNTS && !e.CORRIDOR_SESSION_SECRET) {
    problems.push('CORRIDOR_SESSION_SECRET: required when CORRIDOR_STAFF_ACCOUNTS is set');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(cwd, e.CORRIDOR_DATA_DIR),
    sampleData: path.resolve(cwd, e.CORRIDOR_SAMPLE_DATA),
    engine: e.CORRIDOR_ENGINE,
    siteName: e.CORRIDOR_SITE_NAME,
    trustProxy: e.CORRIDOR_TRUST_PROXY,
    publicUrl: e.CORRIDOR_PUBLIC_URL ? new URL(e.CORRIDOR_PUBLIC_URL).origin : undefined,
    tokenSecret: e.CORRIDOR_TOKEN_SECRET,
    adminEmail: e.CORRIDOR_ADMIN_EMAIL,
    maxRejectRate: e.CORRIDOR_MAX_REJECT_RATE,
    maxDropShare: e.CORRIDOR_MAX_DROP_SHARE,
    ingestThreads: e.CORRIDOR_INGEST_THREADS,
    logLevel: e.LOG_LEVEL,
    elasticsearch: {
      url: e.CORRIDOR_ES_URL,
      nodes: e.CORRIDOR_ES_NODES,
      username: e.CORRIDOR_ES_USERNAME,
      password: e.CORRIDOR_ES_PASSWORD,
      apiKey: e.CORRIDOR_ES_API_KEY,
      caCertPath: e.CORRIDOR_ES_CA_CERT ? path.resolve(cwd, e.CORRIDOR_ES_CA_CERT) : undefined,
      indexPrefix: e.CORRIDOR_ES_INDEX_PREFIX,
      shards: e.CORRIDOR_ES_SHARDS,
      replicas: e.CORRIDOR_ES_REPLICAS,
      timeoutMs: e.CORRIDOR_ES_TIMEOUT_MS,
      forceMerge: e.CORRIDOR_ES_FORCE_MERGE,
      preload: e.CORRIDOR_ES_PRELOAD,
      startupRetries: e.CORRIDOR_ES_STARTUP_RETRIES,
      startupDelayMs: e.CORRIDOR_ES_STARTUP_DELAY_MS,
    },
    staff: { accounts: e.CORRIDOR_STAFF_ACCOUNTS, sessionSecret: e.CORRIDOR_SESSION_SECRET },
    sourcesFile: path.resolve(cwd, e.CORRIDOR_SOURCES_FILE),
    nightly: { enabled: e.CORRIDOR_NIGHTLY, cron: e.CORRIDOR_NIGHTLY_CRON, timezone: e.CORRIDOR_TIMEZONE, mode: e.CORRIDOR_NIGHTLY_MODE },
    lockTtlMs: e.CORRIDOR_LOCK_TTL_MS,
    searchWorkers: e.CORRIDOR_SEARCH_WORKERS,
  };
}
