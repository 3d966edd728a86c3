/**
 * The Elasticsearch client as Corridor configures it, and the translation of its failures into
 * the core's EngineUnavailableError (answered 503, never 500).
 */
import fs from 'node:fs';
import { Client, errors, type ClientOptions, type estypes } from '@elastic/elasticsearch';
import { EngineUnavailableError } from '../../search/ports';

export interface EsConnectionOptions {
  /** One URL, or several (a cluster's nodes): requests go round the nodes that answer. */
  nodes: string[];
  username?: string;
  password?: string;
  apiKey?: string;
  caCertPath?: string;
  /** Per request; a slow cluster makes the search page answer 503 after this long, not hang. */
  timeoutMs: number;
}

export function createClient(options: EsConnectionOptions): Client {
  const clientOptions: ClientOptions = {
    nodes: options.nodes,
    requestTimeout: options.timeoutMs,
    // A refused connection is retried once on each other node, immediately (the client's
    // back-off only starts after every node was tried, and would outlast the timeout). A timed-out
    // request is not retried: that is the client's default, and what keeps a 503 within the timeout.
    maxRetries: Math.max(0, options.nodes.length - 1),
    name: 'corridor',
  };
  if (options.apiKey) clientOptions.auth = { apiKey: options.apiKey };
  else if (options.username !== undefined) clientOptions.auth = { username: options.username, password: options.password ?? '' };
  if (options.caCertPath) clientOptions.tls = { ca: fs.readFileSync(options.caCertPath) };
  return new Client(clientOptions);
}

/** A node URL without credentials, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the configured URL';
  }
}

/** The failure of one search of an `_msearch`, which answers 200 with an error per failed item. */
export class SearchItemError extends Error {
  constructor(
    readonly statusCode: number,
    readonly type: string,
    reason: string,
  ) {
    super(`${type}: ${reason}`);
    this.name = 'SearchItemError';
  }
}

/** Statuses with which Elasticsearch says "not now" rather than "bad request". */
const UNAVAILABLE_STATUSES = new Set([408, 429, 502, 503, 504]);

export function isNotFound(err: unknown): boolean {
  return err instanceof errors.ResponseError && err.statusCode === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof errors.ResponseError && err.statusCode === 409;
}

export function errorType(err: unknown): string | undefined {
  if (err instanceof SearchItemError) return err.type;
  if (!(err instanceof errors.ResponseError)) return undefined;
  const body = err.body as { error?: { type?: string } } | undefined;
  return body?.error?.type;
}

/** Why the cluster did not answer, in words for logs and the health check (no credentials). */
export function describeFailure(err: unknown, nodes: string[], timeoutMs: number): string {
  const where = nodes.map(safeUrl).join(', ');
  if (err instanceof errors.TimeoutError) return `Elasticsearch at ${where} did not answer within ${timeoutMs} ms`;
  if (err instanceof errors.NoLivingConnectionsError) return `no Elasticsearch node at ${where} is reachable`;
  if (err instanceof errors.ConnectionError) return `Elasticsearch at ${where} cannot be reached (${err.message.split('\n')[0]})`;
  if (err instanceof errors.ResponseError) {
    if (err.statusCode === 401) {
      return (
        `Elasticsearch at ${where} refused the credentials (401): check CORRIDOR_ES_USERNAME and ` +
        'CORRIDOR_ES_PASSWORD (or CORRIDOR_ES_API_KEY) against the cluster'
      );
    }
    if (err.statusCode === 403) {
      return (
        `the configured Elasticsearch user lacks a privilege (403: ${forbiddenReason(err)}): give its role read, write and ` +
        'manage on the CORRIDOR_ES_INDEX_PREFIX-* indices (see docs/elasticsearch.md)'
      );
    }
    return `Elasticsearch at ${where} answered ${err.statusCode ?? '?'} (${errorType(err) ?? err.message.split('\n')[0]})`;
  }
  if (err instanceof SearchItemError) return `Elasticsearch at ${where} answered ${err.statusCode} (${err.type})`;
  return `Elasticsearch at ${where} failed: ${(err as Error)?.message ?? String(err)}`;
}

/** The first line of Elasticsearch's own reason ("action [indices:data/read/search] is unauthorized …"). */
function forbiddenReason(err: errors.ResponseError): string {
  const reason = (err.body as { error?: { reason?: unknown } } | undefined)?.error?.reason;
  return typeof reason === 'string' ? reason.split('\n')[0]!.slice(0, 300) : (errorType(err) ?? 'forbidden');
}

/** 401 and 403: the cluster refuses this deployment; nothing a retry or a visitor can change. */
export function isRefused(err: unknown): boolean {
  return err instanceof errors.ResponseError && (err.statusCode === 401 || err.statusCode === 403);
}

export function isUnavailable(err: unknown): boolean {
  if (err instanceof errors.TimeoutError || err instanceof errors.ConnectionError || err instanceof errors.NoLivingConnectionsError) {
    return true;
  }
  if (err instanceof errors.ResponseError || err instanceof SearchItemError) {
    if (err.statusCode !== undefined && UNAVAILABLE_STATUSES.has(err.statusCode)) return true;
    // A red cluster (no copy of a shard) or a read-only block may come with another status.
    const type = errorType(err);
    return type === 'cluster_block_exception' || type === 'no_shard_available_action_exception';
  }
  return false;
}

/**
 * EngineUnavailableError for "the cluster cannot answer now" and for "the cluster refuses us"
 * (401/403: answered 503 too, never passed on as the visitor's own 401/403); any other error
 * unchanged (a bug).
 */
export function toEngineError(err: unknown, nodes: string[], timeoutMs: number): unknown {
  if (isRefused(err)) return new EngineUnavailableError(describeFailure(err, nodes, timeoutMs), { cause: err, misconfiguration: true });
  if (isUnavailable(err)) return new EngineUnavailableError(describeFailure(err, nodes, timeoutMs), { cause: err });
  return err;
}

/**
 * Creates a small bookkeeping index (leases, run history) on first use. Any process may: the
 * loser of a race gets "already exists", which is success. A failure is not remembered, so the
 * next call tries again.
 */
export function indexCreator(client: Client, index: string, body: Omit<estypes.IndicesCreateRequest, 'index'>): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () => {
    ready ??= (async () => {
      try {
        await client.indices.create({ index, ...body });
      } catch (err) {
        if (errorType(err) !== 'resource_already_exists_exception') throw err;
      }
    })().catch((err: unknown) => {
      ready = undefined;
      throw err;
    });
    return ready;
  };
}
