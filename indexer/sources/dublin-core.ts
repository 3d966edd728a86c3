/**
 * Simple Dublin Core (oai_dc) → a record of the project's format. Pure.
 *
 * title → title · description → abstract · creator → authors · publisher → publisher ·
 * date → published (the first that reads as a date) · type → type · language → languages ·
 * subject → keywords · identifier: an http(s) URL → url, a DOI → doi (and url when there is no
 * other link) · coverage → countries (normalisation sorts regions out of it and drops, with a
 * warning, what is neither) · relation: an http(s) URL → url when identifier gave none.
 */
import { LIMITS } from '../records/record-schema';
import { htmlToText, truncateText } from './html-text';
import { extractDoi } from '../../src/search/doi';
import type { RawRecord } from './mapping';
import { texts, type XmlNode } from './xml';

const DATE_LIKE = /^\s*\d{4}(?:-\d{2}(?:-\d{2})?)?(?:[T ]|\s*$)/;
const HTTP = /^https?:\/\//i;
/** dc:type values that name the medium, not the kind of publication. */
const MEDIUM_TYPES = new Set(['text', 'image', 'sound', 'dataset', 'software', 'interactiveresource', 'collection', 'event']);

/** `info:eu-repo/semantics/report` → "report"; vocabulary URIs are common in repositories. */
function typeLabel(value: string): string {
  const tail = /[/#]([^/#]+)$/.exec(value.trim());
  const label = tail && /^(info:|https?:)/i.test(value.trim()) ? tail[1]! : value.trim();
  const spaced = label.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function chooseType(values: string[]): string | undefined {
  const labels = values.map(typeLabel).filter((v) => v !== '');
  return labels.find((v) => !MEDIUM_TYPES.has(v.toLowerCase().replace(/\s+/g, ''))) ?? labels[0];
}

export function dublinCoreRecord(dc: XmlNode, id: string): RawRecord {
  const record: RawRecord = { id };
  const title = texts(dc, 'title')[0];
  if (title !== undefined) record.title = title;

  const descriptions = texts(dc, 'description').map(htmlToText).filter((d) => d !== '');
  if (descriptions.length > 0) record.abstract = truncateText(descriptions.join('\n\n'), LIMITS.abstract);

  const creators = texts(dc, 'creator');
  if (creators.length > 0) record.authors = creators;
  const publisher = texts(dc, 'publisher')[0];
  if (publisher !== undefined) record.publisher = publisher;
  const dates = texts(dc, 'date');
  const date = dates.find((d) => DATE_LIKE.test(d)) ?? dates[0];
  if (date !== undefined) record.published = date.trim();
  const type = chooseType(texts(dc, 'type'));
  if (type !== undefined) record.type = type;
  // A record in several languages lists each: all are kept.
  const languages = texts(dc, 'language');
  if (languages.length > 0) record.language = languages;
  const subjects = texts(dc, 'subject');
  if (subjects.length > 0) record.keywords = subjects;
  const coverage = texts(dc, 'coverage');
  if (coverage.length > 0) record.countries = coverage;

  let doi: string | undefined;
  let url: string | undefined;
  for (const identifier of texts(dc, 'identifier')) {
    const d = extractDoi(identifier);
    if (d !== undefined) {
      doi ??= d;
      continue;
    }
    if (url === undefined && HTTP.test(identifier.trim())) url = identifier.trim();
  }
  url ??= texts(dc, 'relation').find((r) => HTTP.test(r.trim()))?.trim();
  if (url !== undefined) record.url = url;
  if (doi !== undefined) record.doi = doi;
  return record;
}
