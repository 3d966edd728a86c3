/** Documents as CSV rows (RFC 4180, via csv-stringify). Lists are joined with "; ", as the record format reads them. */
import { stringify } from 'csv-stringify/sync';
import type { ResourceDocument } from '../../search/types';
import { countryNames, pageUrl, regionNames, themeNames, type ExportContext } from './common';

export const CSV_COLUMNS = [
  'id',
  'title',
  'authors',
  'publisher',
  'publishers',
  'published',
  'year',
  'type',
  'languages',
  'doi',
  'url',
  'countries',
  'country_codes',
  'regions',
  'themes',
  'keywords',
  'abstract',
  'page',
] as const;

const list = (values: readonly string[]) => values.join('; ');

export function csvRow(doc: ResourceDocument, ctx: ExportContext): Record<(typeof CSV_COLUMNS)[number], string> {
  return {
    id: doc.id,
    title: doc.title,
    authors: list(doc.authors),
    publisher: doc.publisher ?? '',
    publishers: list(doc.publishers),
    published: doc.published ?? '',
    year: doc.year !== undefined ? String(doc.year) : '',
    type: doc.type ?? '',
    languages: list(doc.languages),
    doi: doc.doi ?? '',
    url: doc.url ?? '',
    countries: list(countryNames(doc, ctx)),
    country_codes: list(doc.countries),
    regions: list(regionNames(doc, ctx)),
    themes: list(themeNames(doc, ctx)),
    keywords: list(doc.keywords),
    abstract: doc.abstract ?? '',
    page: pageUrl(doc, ctx),
  };
}

export function csvHeader(): string {
  return stringify([CSV_COLUMNS as unknown as string[]], { record_delimiter: 'windows' });
}

export function csvLine(doc: ResourceDocument, ctx: ExportContext): string {
  const row = csvRow(doc, ctx);
  return stringify([CSV_COLUMNS.map((c) => row[c])], { record_delimiter: 'windows' });
}
