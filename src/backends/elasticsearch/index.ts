/** The Elasticsearch engine: SearchEngine + IndexAdmin + the lease store, run history and staff sessions, all in the cluster. */
import type { Config } from '../../config';
import { holderRunId, INGEST_LOCK, type LeaseStore } from '../../jobs/lease';
import type { RunHistory } from '../../jobs/run-history';
import type { IndexAdmin } from '../../search/ports';
import type { Vocabulary } from '../../search/vocabulary/vocabulary';
import { createClient } from './client';
import { ElasticsearchAdmin } from './es-admin';
import { ElasticsearchEngine } from './es-engine';
import { ElasticsearchLeaseStore } from './es-lease';
import { ElasticsearchRunHistory } from './es-run-history';
import { ElasticsearchSessionStore } from './es-session-store';
import type { SessionStore } from '../../jobs/session-store';
import { indexNames } from './names';
import { GenerationWarmer } from './warm-up';

/** Requests of index builds, rollbacks and the lease (see below). */
const WRITE_TIMEOUT_MS = 60_000;

/** The start-up wait is the web process's business (src/startup.ts), not the adapter's. */
export type ElasticsearchOptions = Omit<Config['elasticsearch'], 'startupRetries' | 'startupDelayMs'> & {
  /** Several node URLs (a cluster); default: `url`. */
  nodes?: string[];
};

export interface ElasticsearchBackend {
  /** close() closes every connection of the backend (admin and leases included). */
  engine: ElasticsearchEngine;
  admin: IndexAdmin;
  /** The ingest lock in `<prefix>-jobs`, shared by every process that uses this cluster. */
  leases: LeaseStore;
  /** The run history in `<prefix>-runs`, shared the same way. */
  history: RunHistory;
  /** Staff sessions in `<prefix>-sessions`, shared the same way. */
  sessions: SessionStore;
  /** Warms each generation the admin makes live; close() lets a warm-up in progress finish first. */
  warmer: GenerationWarmer;
  /** Same as engine.close(). */
  close(): Promise<void>;
}

/** How long closing the backend waits for a warm-up in progress (a CLI run that just committed). */
const WARM_UP_CLOSE_WAIT_MS = 15_000;

export function openElasticsearchBackend(options: ElasticsearchOptions, vocab: Vocabulary): ElasticsearchBackend {
  const nodes = options.nodes ?? (options.url ? [options.url] : []);
  if (nodes.length === 0) throw new Error('CORRIDOR_ES_URL is required for the Elasticsearch engine');
  const connection = {
    nodes,
    username: options.username,
    password: options.password,
    apiKey: options.apiKey,
    caCertPath: options.caCertPath,
  };
  // Searches give up after the configured timeout (a visitor gets a 503). Index builds and the
  // lease wait longer: creating an index or moving aliases waits for the master, which takes a
  // few seconds to be elected again when a master node goes down.
  const client = createClient({ ...connection, timeoutMs: options.timeoutMs });
  const writeClient = createClient({ ...connection, timeoutMs: Math.max(options.timeoutMs, WRITE_TIMEOUT_MS) });
  const names = indexNames(options.indexPrefix);
  const warmer = new GenerationWarmer(client);
  const engine = new ElasticsearchEngine({
    client,
    names,
    nodes,
    timeoutMs: options.timeoutMs,
    labels: vocab,
    close: async () => {
      await warmer.stop(WARM_UP_CLOSE_WAIT_MS);
      await Promise.all([client.close(), writeClient.close()]);
    },
  });
  const leases = new ElasticsearchLeaseStore(writeClient, names.jobs, { replicas: options.replicas });
  const admin = new ElasticsearchAdmin({
    client: writeClient,
    names,
    labels: vocab,
    index: { shards: options.shards, replicas: options.replicas, preload: options.preload },
    forceMerge: options.forceMerge,
    // The run holding the ingest lease may be building; any other unfinished build is an orphan.
    buildsInProgress: async () => [holderRunId((await leases.current(INGEST_LOCK))?.holder)],
  }, warmer);
  const history = new ElasticsearchRunHistory(writeClient, names.runs, { replicas: options.replicas });
  const sessions = new ElasticsearchSessionStore(writeClient, `${names.prefix}-sessions`, { replicas: options.replicas });
  return { engine, admin, leases, history, sessions, warmer, close: () => engine.close() };
}

export { ElasticsearchEngine } from './es-engine';
export { indexNames } from './names';
