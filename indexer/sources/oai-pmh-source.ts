/**
 * An OAI-PMH repository: ListRecords pages followed through resumption tokens, `from` for
 * incremental harvests, deleted records reported as deletions. Record ids are the OAI
 * identifiers prefixed with the source id.
 */
import crypto from 'node:crypto';
import { LIMITS } from '../records/record-schema';
import type { OaiPmhSourceConfig } from './config';
import { dublinCoreRecord } from './dublin-core';
import { displayUrl, httpGet, responseError } from './http-client';
import { applyDefaults, withMapping } from './mapping';
import type { HarvestContext, Source, SourceItem } from './types';
import { attr, child, childNodes, parseXml, rootElement, text, XmlDocumentError, type XmlNode } from './xml';

export type OaiRecord =
  | { kind: 'record'; identifier: string; datestamp?: string; metadata: XmlNode }
  | { kind: 'deleted'; identifier: string }
  | { kind: 'error'; error: string };

export interface OaiPage {
  records: OaiRecord[];
  /** Absent or empty on the last page. */
  resumptionToken?: string;
}

export class OaiProtocolError extends Error {}

/** The index id of an OAI record: unique across sources, never longer than the format allows. */
export function oaiRecordId(sourceId: string, identifier: string): string {
  const id = `${sourceId}:${identifier.trim()}`;
  if (id.length <= LIMITS.id) return id;
  return `${sourceId}:sha1-${crypto.createHash('sha1').update(identifier.trim()).digest('hex')}`;
}

/**
 * One ListRecords response. `noRecordsMatch` (nothing changed since `from`, an empty set) is an
 * empty page, not a failure; any other OAI error throws OaiProtocolError naming its code.
 */
export function parseOaiPage(xml: string): OaiPage {
  const root = rootElement(parseXml(xml));
  if (root === undefined || !/(^|:)OAI-PMH$/.test(root.name)) {
    throw new OaiProtocolError(`not an OAI-PMH response (the document is <${root?.name ?? 'empty'}>)`);
  }
  const errors = childNodes(root.node, 'error');
  if (errors.length > 0) {
    if (errors.every((e) => attr(e, 'code') === 'noRecordsMatch')) return { records: [] };
    const e = errors.find((x) => attr(x, 'code') !== 'noRecordsMatch')!;
    const message = text(e);
    throw new OaiProtocolError(`OAI-PMH error ${attr(e, 'code') ?? '(no code)'}${message ? `: ${message}` : ''}`);
  }
  const list = childNodes(root.node, 'ListRecords')[0];
  if (list === undefined) throw new OaiProtocolError('the response has neither ListRecords nor an error');

  const records: OaiRecord[] = childNodes(list, 'record').map((record): OaiRecord => {
    const header = childNodes(record, 'header')[0];
    const identifier = text(child(header, 'identifier'))?.trim();
    if (identifier === undefined || identifier === '') return { kind: 'error', error: 'an OAI record without an identifier' };
    if (attr(header, 'status') === 'deleted') return { kind: 'deleted', identifier };
    // The metadata element holds one element: the format's root (oai_dc:dc for Dublin Core).
    const metadata = childNodes(record, 'metadata')[0];
    const format = metadata ? Object.entries(metadata).find(([k]) => !k.startsWith('@_') && k !== '#text') : undefined;
    if (format === undefined || format[1] === null || typeof format[1] !== 'object' || Array.isArray(format[1])) {
      return { kind: 'error', error: `${identifier}: a record without metadata` };
    }
    return { kind: 'record', identifier, datestamp: text(child(header, 'datestamp')), metadata: format[1] as XmlNode };
  });
  const token = text(child(list, 'resumptionToken'))?.trim();
  return token ? { records, resumptionToken: token } : { records };
}

/** The day of `since`, as OAI-PMH `from` takes it (day granularity works with every repository). */
export function oaiFrom(since: string | undefined): string | undefined {
  const m = since === undefined ? null : /^(\d{4}-\d{2}-\d{2})/.exec(since.trim());
  return m ? m[1] : undefined;
}

export function listRecordsUrl(config: OaiPmhSourceConfig, args: { from?: string; resumptionToken?: string }): string {
  const url = new URL(config.location);
  url.searchParams.set('verb', 'ListRecords');
  // resumptionToken is an exclusive argument: sending metadataPrefix with it is a badArgument.
  if (args.resumptionToken !== undefined) {
    url.searchParams.set('resumptionToken', args.resumptionToken);
    return url.toString();
  }
  url.searchParams.set('metadataPrefix', config.metadataPrefix);
  if (config.set !== undefined) url.searchParams.set('set', config.set);
  if (args.from !== undefined) url.searchParams.set('from', args.from);
  return url.toString();
}

export function oaiPmhSource(config: OaiPmhSourceConfig): Source {
  return {
    config,
    async *harvest(context: HarvestContext): AsyncIterable<SourceItem> {
      let url = listRecordsUrl(config, { from: oaiFrom(context.since) });
      const tokens = new Set<string>();
      let position = 0;
      for (let pages = 1; ; pages++) {
        const response = await httpGet({ sourceId: config.id, url, sourceUrl: config.location, accept: 'text/xml, application/xml', options: config.http, signal: context.signal });
        const body = response.decoded();
        if (body.replaced !== undefined) yield { kind: 'warning', message: `${config.id}: ${displayUrl(url)}: ${body.replaced}` };
        let page: OaiPage;
        try {
          page = parseOaiPage(body.text);
        } catch (err) {
          if (err instanceof XmlDocumentError || err instanceof OaiProtocolError) throw responseError(config.id, url, err.message);
          throw err;
        }
        const location = displayUrl(url);
        for (const record of page.records) {
          if (record.kind === 'deleted') {
            yield { kind: 'deleted', id: oaiRecordId(config.id, record.identifier) };
            continue;
          }
          position++;
          if (record.kind === 'error') {
            yield { kind: 'error', position, error: record.error, location };
            continue;
          }
          const builtIn = dublinCoreRecord(record.metadata, oaiRecordId(config.id, record.identifier));
          const raw = applyDefaults(withMapping(builtIn, record.metadata, config.mapping), config.defaults);
          yield { kind: 'record', position, raw, location };
        }
        const token = page.resumptionToken;
        if (token === undefined) return;
        // A repository handing out the same token again would otherwise be harvested for ever.
        if (tokens.has(token)) throw responseError(config.id, url, `the repository repeated resumptionToken ${JSON.stringify(token)}`);
        tokens.add(token);
        if (pages >= config.maxPages) {
          yield { kind: 'warning', message: `${config.id}: stopped after ${config.maxPages} pages (maxPages); the repository has more`, incomplete: true };
          return;
        }
        url = listRecordsUrl(config, { resumptionToken: token });
      }
    },
  };
}
