/**
 * Bulk requests with back-off: items Elasticsearch rejects with 429 (its write queue is full) are
 * sent again after a growing pause; any other item failure fails the batch with the ids and
 * reasons, because it means a mapping or cluster problem, not a bad record (records are
 * validated before they reach the writer).
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';

export type BulkOperation =
  | { action: 'index'; id: string; document: object }
  | { action: 'delete'; id: string };

export interface BulkOptions {
  /** Attempts for items (or whole requests) rejected with 429, after the first. */
  retries?: number;
  /** First pause; doubled each time, with jitter. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class BulkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BulkError';
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The operations as the bulk API's alternating action/document lines. Pure. */
export function bulkBody(index: string, operations: readonly BulkOperation[]): estypes.BulkRequest['operations'] {
  const body: (estypes.BulkOperationContainer | object)[] = [];
  for (const op of operations) {
    if (op.action === 'index') body.push({ index: { _index: index, _id: op.id } }, op.document);
    else body.push({ delete: { _index: index, _id: op.id } });
  }
  return body;
}

export interface ItemOutcome {
  /** Positions (in the operations sent) to send again. */
  retry: number[];
  /** "id: reason" for items that failed for good. */
  failed: string[];
  /** Deletes that removed a document (a delete of a missing one is done, but removed nothing). */
  deleted: number;
}

/** Sorts a bulk response's items into done, to retry (429) and failed. A missing delete is done. Pure. */
export function itemOutcome(response: estypes.BulkResponse, operations: readonly BulkOperation[]): ItemOutcome {
  const outcome: ItemOutcome = { retry: [], failed: [], deleted: 0 };
  response.items.forEach((item, i) => {
    if (item.delete?.result === 'deleted') outcome.deleted++;
    const result = item.index ?? item.delete ?? item.create ?? item.update;
    if (!result || !result.error) return;
    if (result.status === 429) outcome.retry.push(i);
    else if (!(operations[i]?.action === 'delete' && result.status === 404)) {
      outcome.failed.push(`${operations[i]?.id ?? result._id}: ${result.error.type}: ${result.error.reason ?? ''}`);
    }
  });
  return outcome;
}

/** Returns how many documents the deletes among the operations removed. */
export async function runBulk(client: Client, index: string, operations: readonly BulkOperation[], options: BulkOptions = {}): Promise<number> {
  const retries = options.retries ?? 8;
  const backoff = options.backoffMs ?? 200;
  const sleep = options.sleep ?? defaultSleep;
  let pending = operations;
  let deleted = 0;
  for (let attempt = 0; pending.length > 0; attempt++) {
    let response: estypes.BulkResponse | undefined;
    try {
      response = await client.bulk({ operations: bulkBody(index, pending), refresh: false });
    } catch (err) {
      const rejected = err instanceof errors.ResponseError && err.statusCode === 429;
      if (!rejected || attempt >= retries) throw err;
    }
    let next: BulkOperation[] = [];
    if (response) {
      const outcome = itemOutcome(response, pending);
      deleted += outcome.deleted;
      if (outcome.failed.length > 0) {
        const shown = outcome.failed.slice(0, 5).join('; ');
        throw new BulkError(`Elasticsearch refused ${outcome.failed.length} document(s): ${shown}`);
      }
      next = outcome.retry.map((i) => pending[i]);
    } else {
      next = [...pending];
    }
    if (next.length > 0) {
      if (attempt >= retries) throw new BulkError(`Elasticsearch kept rejecting ${next.length} document(s) with 429 (too many requests)`);
      await sleep(backoff * 2 ** attempt * (0.5 + Math.random() / 2));
    }
    pending = next;
  }
  return deleted;
}
