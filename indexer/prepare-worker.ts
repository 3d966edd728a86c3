/**
 * One worker thread of the record preparation pool (prepare-pool.ts): builds the vocabulary it
 * is given, loads the index writer's encoder, then prepares the chunks of records it is sent, in
 * the order they come, answering each with its results (or with the error that stopped it).
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { EncodeDocument } from '../src/search/ports';
import { Vocabulary } from '../src/search/vocabulary/vocabulary';
import type { ChunkReply, ChunkRequest, WorkerSetup } from './prepare-pool';
import { prepareChunk, recordPreparer } from './prepare';

function serve(): void {
  const port = parentPort;
  if (port === null) throw new Error('prepare-worker runs as a worker thread of the record preparation pool');
  const setup = workerData as WorkerSetup;
  const vocab = new Vocabulary(setup.vocabulary);
  const prepare = recordPreparer(vocab);
  let encode: ((doc: Parameters<EncodeDocument>[0]) => ReturnType<EncodeDocument>) | undefined;
  if (setup.encoder !== undefined) {
    // The writer names its encoder's module (EncodedWrites.module): a module of this code base,
    // loaded as this thread loads its own modules (import() would bypass the TypeScript loader).
    const { encodeDocument } = createRequire(__filename)(setup.encoder) as { encodeDocument: EncodeDocument };
    encode = (doc) => encodeDocument(doc, vocab);
  }
  port.on('message', (request: ChunkRequest) => {
    let reply: ChunkReply;
    try {
      reply = { id: request.id, items: prepareChunk(prepare, request, encode) };
    } catch (err) {
      reply = { id: request.id, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}

// A failure to start (a vocabulary or an encoder that cannot be loaded) is an uncaught exception,
// which ends the thread with an 'error' event: the pool fails every chunk waiting for it.
serve();
