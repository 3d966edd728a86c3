/** A configured source → the reader for its kind. */
import type { SourceConfig } from './config';
import { feedSource } from './feed-source';
import { fileSource } from './file-source';
import { httpJsonSource } from './http-json-source';
import { oaiPmhSource } from './oai-pmh-source';
import type { Source } from './types';

export function openSource(config: SourceConfig): Source {
  switch (config.kind) {
    case 'file':
      return fileSource(config);
    case 'http-json':
      return httpJsonSource(config);
    case 'rss':
    case 'atom':
      return feedSource(config);
    case 'oai-pmh':
      return oaiPmhSource(config);
  }
}

export { loadSourcesFile, parseSourcesConfig, SourcesFileError, type SourceConfig } from './config';
export type { HarvestContext, Source, SourceItem } from './types';
