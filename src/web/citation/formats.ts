/**
 * The export formats: how a stream of documents becomes one file of each. Each writer holds what
 * one file needs across records (BibTeX keys, the commas of a JSON array) and nothing else, so
 * an export of thousands of records streams in constant memory.
 */
import type { ResourceDocument } from '../../search/types';
import { bibtexEntry, keyAllocator } from './bibtex';
import type { ExportContext } from './common';
import { cslItem } from './csl';
import { csvHeader, csvLine } from './csv';
import { risRecord } from './ris';

/** The most records one export holds ("the whole result" up to this). */
export const EXPORT_LIMIT = 2000;

export interface FileWriter {
  head: string;
  item(doc: ResourceDocument): string;
  tail: string;
}

export interface ExportFormat {
  name: 'csv' | 'ris' | 'bibtex' | 'csl-json';
  label: string;
  extension: string;
  mediaType: string;
  writer(ctx: ExportContext): FileWriter;
}

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  {
    name: 'ris',
    label: 'RIS',
    extension: 'ris',
    mediaType: 'application/x-research-info-systems; charset=utf-8',
    writer: (ctx) => ({ head: '', item: (doc) => risRecord(doc, ctx), tail: '' }),
  },
  {
    name: 'bibtex',
    label: 'BibTeX',
    extension: 'bib',
    mediaType: 'application/x-bibtex; charset=utf-8',
    writer: (ctx) => {
      const key = keyAllocator();
      return { head: '', item: (doc) => bibtexEntry(doc, ctx, key(doc)), tail: '' };
    },
  },
  {
    name: 'csl-json',
    label: 'CSL-JSON',
    extension: 'json',
    mediaType: 'application/vnd.citationstyles.csl+json; charset=utf-8',
    writer: (ctx) => {
      let first = true;
      return {
        head: '[\n',
        item: (doc) => {
          const text = `${first ? '' : ',\n'}${JSON.stringify(cslItem(doc, ctx))}`;
          first = false;
          return text;
        },
        tail: '\n]\n',
      };
    },
  },
  {
    name: 'csv',
    label: 'CSV',
    extension: 'csv',
    mediaType: 'text/csv; charset=utf-8',
    writer: (ctx) => ({ head: csvHeader(), item: (doc) => csvLine(doc, ctx), tail: '' }),
  },
];
