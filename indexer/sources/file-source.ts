/**
 * Local files (NDJSON, JSON, CSV/TSV, optionally gzipped): a file or every such file in a folder,
 * read with the same reader as `npm run ingest`. A file that cannot be read at all (missing,
 * a broken JSON document, CSV the parser gives up on) fails the source, so that a full run does
 * not take the records it lost for withdrawn ones.
 */
import path from 'node:path';
import { InputPathError, listInputFiles } from '../file-inputs';
import { InputReadError, readInputFile } from '../records/parse-input';
import type { FileSourceConfig } from './config';
import { applyDefaults, mapRecord } from './mapping';
import { throwIfCancelled, type HarvestContext, type Source, type SourceItem } from './types';

export class FileSourceError extends Error {}

async function filesOf(config: FileSourceConfig): Promise<string[]> {
  try {
    return await listInputFiles([config.location]);
  } catch (err) {
    if (err instanceof InputPathError && config.format !== undefined && /unknown format/.test(err.message)) return [config.location];
    if (err instanceof InputPathError) throw new FileSourceError(`${config.id}: ${err.message}`);
    throw err;
  }
}

export function fileSource(config: FileSourceConfig): Source {
  return {
    config,
    async *harvest(context: HarvestContext): AsyncIterable<SourceItem> {
      const files = await filesOf(config);
      for (const file of files) {
        throwIfCancelled(context.signal);
        const location = path.relative(process.cwd(), file) || file;
        const items = readInputFile(file, {
          source: location,
          format: files.length === 1 ? config.format : undefined,
          encoding: config.encoding,
          maxRecordBytes: config.maxRecordBytes,
          unparsed: context.lines === true,
        });
        try {
          for await (const item of items) {
            if (item.kind === 'error') {
              if (item.fatal) throw new FileSourceError(`${config.id}: ${location}: ${item.error}`);
              yield { kind: 'error', position: item.position, error: item.error, location };
            } else if (item.kind === 'warning') {
              yield { kind: 'warning', message: `${config.id}: ${location}: ${item.message}` };
            } else if (item.kind === 'line') {
              yield { kind: 'line', position: item.position, text: item.text, mapping: config.mapping, defaults: config.defaults, location };
            } else {
              yield { kind: 'record', position: item.position, raw: applyDefaults(mapRecord(item.raw, config.mapping), config.defaults), location };
            }
          }
        } catch (err) {
          if (err instanceof FileSourceError) throw err;
          // Its message already starts with the file's name.
          if (err instanceof InputReadError) throw new FileSourceError(`${config.id}: ${err.message}`);
          throw new FileSourceError(`${config.id}: ${location}: ${(err as Error).message}`);
        }
      }
    },
  };
}
