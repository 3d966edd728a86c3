/** IndexAdmin over generation indices and the two aliases (see names.ts and generations.ts). */
import type { IndexAdmin, IndexWriter, WriterOptions } from '../../search/ports';
import { readGenerations, rollbackActions } from './generations';
import { EsIndexWriter, type WriterContext } from './es-writer';
import type { GenerationWarmer } from './warm-up';

export class ElasticsearchAdmin implements IndexAdmin {
  /** `warmer`: warms each generation this admin's writers make live (warm-up.ts). */
  constructor(
    private readonly ctx: WriterContext,
    private readonly warmer?: GenerationWarmer,
  ) {}

  async openWriter(options: WriterOptions): Promise<IndexWriter> {
    const writer = await EsIndexWriter.open(this.ctx, options);
    const warmer = this.warmer;
    if (!warmer) return writer;
    const commit = writer.commit.bind(writer);
    // Warming starts once the generation is live, and the commit does not wait for it.
    writer.commit = async (commitOptions) => {
      const result = await commit(commitOptions);
      warmer.start(result.generation);
      return result;
    };
    return writer;
  }

  /** Swaps the live and rollback aliases in one request; the generation that was live stays kept. */
  async rollback(): Promise<boolean> {
    const state = await readGenerations(this.ctx.client, this.ctx.names);
    const actions = rollbackActions(this.ctx.names, state);
    if (!actions) return false;
    await this.ctx.client.indices.updateAliases({ actions });
    if (state.previous) this.warmer?.start(state.previous.name);
    return true;
  }
}
