/** What every engine benchmark does first: its options, the corpus, and a run per engine asked for. */
import { loadVocabulary, type Vocabulary } from '../src/search/vocabulary/vocabulary';
import { ensureCorpus } from './corpus';
import { openElasticsearchBench, openSqliteBench, type BenchBackend } from './engines';

/** `--name value` from the command line. */
export function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

/** `--records N` (default 100,000) and `--engine sqlite|elasticsearch|both` (default sqlite); exits 1 on failure. */
export function benchMain(run: (bench: BenchBackend, corpusFile: string, vocab: Vocabulary) => Promise<void>): void {
  const main = async (): Promise<void> => {
    const records = Number(option('records') ?? 100_000);
    const engine = option('engine') ?? 'sqlite';
    const vocab = loadVocabulary();
    const corpus = await ensureCorpus(records);
    console.log(`corpus: ${records.toLocaleString('en')} records (${corpus.real ? 'from the real catalogues in ../shared/data' : 'synthetic'})`);
    if (engine === 'sqlite' || engine === 'both') await run(openSqliteBench(vocab), corpus.file, vocab);
    if (engine === 'elasticsearch' || engine === 'both') await run(openElasticsearchBench(vocab), corpus.file, vocab);
  };
  void main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
