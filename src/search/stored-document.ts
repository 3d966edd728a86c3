/**
 * A document as an index generation stores it → the current ResourceDocument shape. Pure.
 *
 * Generations live on across upgrades (the live one, the previous one kept for rollback), so a
 * document written by an earlier version must still read as a whole document: before languages
 * were multi-valued a record had one `language`, before joint publishers were split there was
 * no `publishers` list, before groupings (blocs, processes) were a facet of their own they were
 * listed among the `regions` (such a document keeps them there until the next full reindex, which
 * sorts them out with the vocabulary), and before corridors were derived there were none (a full
 * reindex derives them).
 */
import type { ResourceDocument } from './types';

type Stored = Omit<ResourceDocument, 'languages' | 'publishers' | 'groupings' | 'corridors'> &
  Partial<Pick<ResourceDocument, 'languages' | 'publishers' | 'groupings' | 'corridors'>> & { language?: string };

export function fromStored(value: unknown): ResourceDocument {
  const stored = value as Stored;
  if (stored.languages !== undefined && stored.publishers !== undefined && stored.groupings !== undefined && stored.corridors !== undefined) {
    return stored as ResourceDocument;
  }
  const { language, ...rest } = stored;
  return {
    ...rest,
    languages: stored.languages ?? (language ? [language] : []),
    publishers: stored.publishers ?? (stored.publisher ? [stored.publisher] : []),
    groupings: stored.groupings ?? [],
    corridors: stored.corridors ?? [],
  };
}
