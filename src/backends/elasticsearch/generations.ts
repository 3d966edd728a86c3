/**
 * Index generations in a cluster: which generation indices exist, which one the live alias and
 * the rollback alias point at, and what each one's `_meta` says (building / committed, when, by
 * which run). Every index and alias name comes from names.ts.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import type { IndexNames } from './names';

/** Kept in each generation index's mapping `_meta.corridor`. */
export interface GenerationMeta {
  state: 'building' | 'committed';
  generation: string;
  startedAt: string;
  builtAt?: string;
  runId?: string;
  documents?: number;
}

export interface GenerationIndex {
  name: string;
  meta?: GenerationMeta;
  /** Epoch milliseconds (index.creation_date). */
  createdAt: number;
}

export interface GenerationState {
  indices: GenerationIndex[];
  live?: GenerationIndex;
  previous?: GenerationIndex;
}

interface IndexInfo {
  aliases?: Record<string, unknown>;
  mappings?: { _meta?: { corridor?: GenerationMeta } };
  settings?: { index?: { creation_date?: string } };
}

export async function readGenerations(client: Client, names: IndexNames): Promise<GenerationState> {
  // One request for every generation index, its aliases, its _meta and its creation date.
  const response = (await client.indices.get({
    index: names.generationPattern,
    allow_no_indices: true,
    ignore_unavailable: true,
    filter_path: ['*.aliases', '*.mappings._meta', '*.settings.index.creation_date'],
  })) as Record<string, IndexInfo>;
  const state: GenerationState = { indices: [] };
  for (const [name, info] of Object.entries(response ?? {})) {
    if (!names.isGeneration(name)) continue;
    const index: GenerationIndex = {
      name,
      meta: info.mappings?._meta?.corridor,
      createdAt: Number(info.settings?.index?.creation_date ?? 0),
    };
    state.indices.push(index);
    const aliases = Object.keys(info.aliases ?? {});
    if (aliases.includes(names.live)) state.live = index;
    if (aliases.includes(names.previous)) state.previous = index;
  }
  return state;
}

/**
 * Generation indices to delete when a new run starts: every one that is neither live nor kept
 * for rollback and is either committed (superseded) or an unfinished build of a run that is not
 * building now. A build in progress belongs to the run holding the ingest lease
 * (`buildsInProgress`); any other is the leftover of a run that died, deleted at once rather than
 * after a delay. Never called right after a swap: a search that resolved the alias a moment ago
 * may still be reading the generation that was live. Pure.
 */
export function staleGenerations(state: GenerationState, buildsInProgress: readonly (string | undefined)[]): string[] {
  const keep = new Set([state.live?.name, state.previous?.name].filter(Boolean));
  const building = new Set(buildsInProgress.filter((r): r is string => r !== undefined));
  return state.indices
    .filter((i) => !keep.has(i.name))
    .filter((i) => i.meta?.state !== 'building' || i.meta.runId === undefined || !building.has(i.meta.runId))
    .map((i) => i.name);
}

/** The alias actions that make `next` live and the current live generation the rollback one. */
export function swapActions(names: IndexNames, state: GenerationState, next: string): estypes.IndicesUpdateAliasesAction[] {
  const actions: estypes.IndicesUpdateAliasesAction[] = [];
  if (state.previous) actions.push({ remove: { index: state.previous.name, alias: names.previous } });
  if (state.live) {
    actions.push({ remove: { index: state.live.name, alias: names.live } });
    actions.push({ add: { index: state.live.name, alias: names.previous } });
  }
  actions.push({ add: { index: next, alias: names.live } });
  return actions;
}

/** Rollback: the previous generation live again, and the current one kept as the previous. */
export function rollbackActions(names: IndexNames, state: GenerationState): estypes.IndicesUpdateAliasesAction[] | undefined {
  if (!state.previous) return undefined;
  const actions: estypes.IndicesUpdateAliasesAction[] = [{ remove: { index: state.previous.name, alias: names.previous } }];
  if (state.live) {
    actions.push({ remove: { index: state.live.name, alias: names.live } });
    actions.push({ add: { index: state.live.name, alias: names.previous } });
  }
  actions.push({ add: { index: state.previous.name, alias: names.live } });
  return actions;
}

export async function deleteIndices(client: Client, indices: string[]): Promise<void> {
  if (indices.length === 0) return;
  // By name, never by wildcard (action.destructive_requires_name is on by default).
  await client.indices.delete({ index: indices, ignore_unavailable: true });
}
