/**
 * Names of everything Corridor keeps in a cluster, all under one configurable prefix. Pure.
 *
 *   <prefix>-docs-<timestamp>-<random>   one index per generation (never written after commit)
 *   <prefix>-docs                        alias: the live generation, the only name searches use
 *   <prefix>-docs-previous               alias: the generation kept for rollback
 *   <prefix>-jobs                        lease documents (one lock for every ingest trigger)
 *   <prefix>-runs                        the run history, one document per run
 *
 * Both aliases move together in one `_aliases` request, so they can never disagree.
 */
import crypto from 'node:crypto';

export interface IndexNames {
  prefix: string;
  live: string;
  previous: string;
  jobs: string;
  runs: string;
  /** Wildcard matching the generation indices (and, because wildcards also match aliases, the aliases). */
  generationPattern: string;
  isGeneration(name: string): boolean;
  newGeneration(now?: Date): string;
}

export function indexNames(prefix: string): IndexNames {
  const generation = new RegExp(`^${prefix.replace(/[^a-z0-9]/g, (c) => `\\${c}`)}-docs-\\d{8}t\\d{9}z-[0-9a-f]{6}$`);
  return {
    prefix,
    live: `${prefix}-docs`,
    previous: `${prefix}-docs-previous`,
    jobs: `${prefix}-jobs`,
    runs: `${prefix}-runs`,
    generationPattern: `${prefix}-docs-*`,
    isGeneration: (name) => generation.test(name),
    newGeneration(now = new Date()) {
      // Index names must be lower case; milliseconds and a random tail keep two runs apart.
      const stamp = now.toISOString().replace(/[-:.]/g, '').toLowerCase();
      return `${prefix}-docs-${stamp}-${crypto.randomBytes(3).toString('hex')}`;
    },
  };
}
