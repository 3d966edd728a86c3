/** The benchmarks build their index as any run does: the corpus file as one source, through the pipeline. */
import type { RunSummary } from '../src/jobs/run-history';
import type { IndexAdmin } from '../src/search/ports';
import type { Vocabulary } from '../src/search/vocabulary/vocabulary';
import { fileSourceConfig } from '../indexer/file-inputs';
import { runIngest } from '../indexer/pipeline';
import { preparerFor } from '../indexer/prepare';
import { loadConfig } from '../src/config';

/** A full run over the corpus; throws unless it committed. */
export async function ingestCorpus(admin: IndexAdmin, file: string, vocab: Vocabulary): Promise<RunSummary> {
  const summary = await runIngest({
    sources: [fileSourceConfig(file, 'bench')],
    admin,
    // As every run does: worker threads, as many as CORRIDOR_INGEST_THREADS says (by default as many as the machine and the writer allow).
    prepare: preparerFor(vocab, loadConfig().ingestThreads),
    mode: 'full',
    maxRejectRate: 0.2,
    maxDropShare: 1,
    batchSize: 2000,
  });
  if (summary.outcome !== 'succeeded') throw new Error(`the benchmark index could not be built: ${summary.error ?? summary.outcome}`);
  return summary;
}
