/**
 * Bulk writes through the official client's bulk helper (`client.helpers.bulk`): it batches
 * operations by size, keeps several requests in flight, and sends again, after a pause, the
 * documents Elasticsearch rejects with 429 (its write queue is full). Corridor adds:
 *
 * - a feed the index writer pushes operations into (BulkStream), with back-pressure: the helper
 *   pulls from it, and a writer that gets ahead of Elasticsearch waits;
 * - versions (`version_type: external`, from one counter per build): requests in flight at the
 *   same time may land in any order, and the operation sent last for an id must win, as the
 *   IndexWriter port promises ("same id: the last one wins");
 * - a clear failure, naming the documents and reasons, for anything refused otherwise (a
 *   mapping or cluster problem: records are validated before they reach the writer).
 */
import type { Client } from '@elastic/elasticsearch';

export class BulkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BulkError';
  }
}

/**
 * One operation. `json` is the document already serialised (on the thread that prepared it);
 * `document` one to serialise here.
 */
export type BulkOperation =
  | { action: 'index'; id: string; version: number; json: string }
  | { action: 'create'; id: string; document: object }
  | { action: 'delete'; id: string; version: number };

export interface BulkSettings {
  /** A request is sent when its body reaches this size. */
  flushBytes: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Attempts for documents rejected with 429, after the first, and the pause between them. */
  retries: number;
  waitMs: number;
}

/** The helper's action line (and document) for an operation. Pure. */
export function bulkAction(index: string, op: BulkOperation): object | [object, object | string] {
  switch (op.action) {
    case 'index':
      return [{ index: { _index: index, _id: op.id, version: op.version, version_type: 'external' } }, op.json];
    case 'create':
      return [{ create: { _index: index, _id: op.id } }, op.document];
    case 'delete':
      return { delete: { _index: index, _id: op.id, version: op.version, version_type: 'external' } };
  }
}

/** What the helper reports about a document it gave up on (its onDrop argument), as much as is read here. */
export interface DroppedItem {
  status: number;
  error: { type?: string; reason?: string | null } | null;
  operation: Record<string, { _id?: string | null } | undefined>;
}

/**
 * Why a dropped operation fails the build, or undefined when it is as intended: a version
 * conflict (409) means a later operation of the same build won (or, for `create`, that the
 * record was written by this run), and deleting a missing document is done. Pure.
 */
export function dropFailure(item: DroppedItem): string | undefined {
  const kind = Object.keys(item.operation)[0];
  if (item.status === 409) return undefined;
  if (kind === 'delete' && item.status === 404) return undefined;
  const id = (kind !== undefined ? item.operation[kind]?._id : undefined) ?? '?';
  if (item.status === 429) return `${id}: kept being rejected with 429 (too many requests)`;
  return `${id}: ${item.error?.type ?? `status ${item.status}`}: ${item.error?.reason ?? ''}`;
}

/** Operations waiting in a stream before push() waits for the helper to take them. */
const QUEUED = 2000;

/**
 * One run of the bulk helper over the operations pushed into it. end() waits until every
 * operation was acknowledged and throws a BulkError for those refused; abort() stops it.
 */
export class BulkStream {
  private queue: BulkOperation[] = [];
  private ended = false;
  private failure: unknown;
  private readonly refused: string[] = [];
  private wakeConsumer: (() => void) | undefined;
  private readonly producers: (() => void)[] = [];
  private readonly helper;
  private readonly done: Promise<void>;
  /** Deletes that removed a document (counted only when asked for: see countDeleted). */
  deleted = 0;

  constructor(client: Client, index: string, settings: BulkSettings, options: { countDeleted?: boolean } = {}) {
    this.helper = client.helpers.bulk<BulkOperation>({
      datasource: this.operations(),
      onDocument: (op) => bulkAction(index, op) as never,
      onDrop: (dropped) => {
        const reason = dropFailure(dropped as unknown as DroppedItem);
        if (reason !== undefined) this.refused.push(reason);
      },
      // Only where asked: the helper parses every document again to pass it to onSuccess.
      ...(options.countDeleted ?
        {
          onSuccess: ({ result }: { result: Record<string, { result?: string } | undefined> }) => {
            if (result.delete?.result === 'deleted') this.deleted++;
          },
        }
      : {}),
      flushBytes: settings.flushBytes,
      concurrency: settings.concurrency,
      retries: settings.retries,
      wait: settings.waitMs,
      refreshOnCompletion: false,
    });
    this.done = Promise.resolve(this.helper).then(
      () => undefined,
      (err: unknown) => {
        this.failure ??= err;
      },
    );
    // A failed helper takes no more operations: nobody may wait for it to.
    void this.done.then(() => this.releaseProducers());
  }

  private async *operations(): AsyncGenerator<BulkOperation> {
    for (;;) {
      if (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        this.releaseProducers();
        yield* batch;
      } else if (this.ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
    }
  }

  private wake(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = undefined;
    wake?.();
  }

  private releaseProducers(): void {
    for (const release of this.producers.splice(0)) release();
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.refused.length > 0) {
      throw new BulkError(`Elasticsearch refused ${this.refused.length} document(s): ${this.refused.slice(0, 5).join('; ')}`);
    }
  }

  /** Queues an operation; waits while the helper is behind. Throws what made earlier requests fail. */
  async push(op: BulkOperation): Promise<void> {
    this.check();
    if (this.ended) throw new Error('bulk stream ended');
    this.queue.push(op);
    this.wake();
    if (this.queue.length >= QUEUED) {
      await new Promise<void>((resolve) => this.producers.push(resolve));
      this.check();
    }
  }

  /** Waits until everything pushed was acknowledged. */
  async end(): Promise<void> {
    this.ended = true;
    this.wake();
    await this.done;
    this.check();
  }

  async abort(): Promise<void> {
    this.ended = true;
    // abort() returns the helper itself (a thenable); its outcome is awaited through `done`.
    void this.helper.abort();
    this.wake();
    await this.done;
  }
}
