/** IndexAdmin over generation indices and the two aliases (see names.ts and generations.ts). */
import type { IndexAdmin, IndexWriter, WriterOptions } from '../../search/ports';
import { readGenerations, rollbackActions } from './generations';
import { EsIndexWriter, type WriterContext } from './es-writer';

export class ElasticsearchAdmin implements IndexAdmin {
  constructor(private readonly ctx: WriterContext) {}

  openWriter(options: WriterOptions): Promise<IndexWriter> {
    return EsIndexWriter.open(this.ctx, options);
  }

  /** Swaps the live and rollback aliases in one request; the generation that was live stays kept. */
  async rollback(): Promise<boolean> {
    const state = await readGenerations(this.ctx.client, this.ctx.names);
    const actions = rollbackActions(this.ctx.names, state);
    if (!actions) return false;
    await this.ctx.client.indices.updateAliases({ actions });
    return true;
  }
}
