/**
 * One zod schema over the environment. Start-up fails fast with every problem listed, instead
 * of the first one surfacing hours later in a nightly run.
 */
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
  /** Share of rejected records above which a run fails and commits nothing. */
  CORRIDOR_MAX_REJECT_RATE: share.default(0.2),
  /** Largest share of the live index a rebuild may drop before it is refused. */
  CORRIDOR_MAX_DROP_SHARE: share.default(0.5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  maxRejectRate: number;
  maxDropShare: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
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
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(cwd, e.CORRIDOR_DATA_DIR),
    sampleData: path.resolve(cwd, e.CORRIDOR_SAMPLE_DATA),
    engine: e.CORRIDOR_ENGINE,
    siteName: e.CORRIDOR_SITE_NAME,
    trustProxy: e.CORRIDOR_TRUST_PROXY,
    maxRejectRate: e.CORRIDOR_MAX_REJECT_RATE,
    maxDropShare: e.CORRIDOR_MAX_DROP_SHARE,
    logLevel: e.LOG_LEVEL,
  };
}
