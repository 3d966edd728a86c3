/**
 * RSS 2.0 (and RSS 1.0 / RDF) and Atom 1.0 documents → records of the project's format. Pure:
 * text in, records out, so each rule is testable without a server.
 *
 * title → title · link → url · description / summary / content → abstract (HTML to text) ·
 * pubDate / published / updated / dc:date → published · author / dc:creator → authors ·
 * category / dc:subject → keywords · dc:publisher, dc:language → publisher, language ·
 * guid / id → id, prefixed with the source id so that two feeds' ids cannot collide.
 */
import crypto from 'node:crypto';
import { LIMITS } from '../records/record-schema';
import { decodeEntities, htmlToText, truncateText, xhtmlToText, xmlCharacterData } from './html-text';
import type { RawRecord } from './mapping';
import { attr, child, childNodes, localName, parseXml, rootElement, text, texts, XmlDocumentError, type XmlNode } from './xml';

export type FeedFormat = 'rss' | 'rdf' | 'atom';

export interface FeedEntry {
  /** The parsed XML element, for the source's own mapping. */
  native: XmlNode;
  record: RawRecord;
}

export interface ParsedFeed {
  format: FeedFormat;
  entries: FeedEntry[];
}

export class FeedFormatError extends XmlDocumentError {}

const MONTHS: Record<string, string> = {
  jan: '01', feb: '02', mar: '03', apr: '04', may: '05', jun: '06', jul: '07', aug: '08', sep: '09', oct: '10', nov: '11', dec: '12',
};
const RFC822_DATE = /(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{4}|\d{2})\b/i;
const ISO_DATE = /^\s*\d{4}(?:-\d{2}(?:-\d{2})?)?(?:[T ]|\s*$)/;

/**
 * A feed date as YYYY-MM-DD, the calendar date as written: "Tue, 10 Jun 2003 23:30:00 -0800" is
 * 10 June, not 11 June in UTC. ISO dates pass through (the record format keeps their date part).
 * Unreadable dates are passed on unchanged so that validation reports them.
 */
export function feedDate(value: string): string {
  if (ISO_DATE.test(value)) return value.trim();
  const m = RFC822_DATE.exec(value);
  const month = m ? MONTHS[m[2]!.toLowerCase()] : undefined;
  if (m && month) {
    const year = m[3]!.length === 2 ? (Number(m[3]) < 50 ? `20${m[3]}` : `19${m[3]}`) : m[3]!;
    return `${year}-${month}-${m[1]!.padStart(2, '0')}`;
  }
  return value.trim();
}

/** RSS `author` is an e-mail address, often with the name in parentheses: "jo@x.org (Jo Smith)". */
export function rssAuthorName(value: string): string {
  const named = /\(([^)]+)\)\s*$/.exec(value);
  if (named) return named[1]!.trim();
  return value.trim();
}

function absoluteUrl(value: string | undefined, base: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  try {
    const u = new URL(value.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : value.trim();
  } catch {
    // Not resolvable: passed on so that validation names the bad URL.
    return value.trim();
  }
}

/** Ids longer than the record format allows are hashed rather than rejected. */
function prefixedId(sourceId: string, native: string): string {
  const id = `${sourceId}:${native.trim()}`;
  if (id.length <= LIMITS.id) return id;
  return `${sourceId}:sha1-${crypto.createHash('sha1').update(native.trim()).digest('hex')}`;
}

function fallbackId(...parts: (string | undefined)[]): string | undefined {
  const seed = parts.filter((p) => p !== undefined && p !== '').join('\n');
  return seed === '' ? undefined : `sha1-${crypto.createHash('sha1').update(seed).digest('hex')}`;
}

/** Typed text (`type="html"` / `"xhtml"` in Atom, always HTML-ish in RSS descriptions) → plain text. */
function richText(value: unknown): string | undefined {
  const t = text(value);
  return t === undefined ? undefined : htmlToText(t);
}

function abstractOf(...candidates: unknown[]): string | undefined {
  for (const c of candidates) {
    const t = richText(c);
    if (t !== undefined && t !== '') return truncateText(t, LIMITS.abstract);
  }
  return undefined;
}

function atomAbstract(...candidates: unknown[]): string | undefined {
  for (const c of candidates) {
    const t = atomText(c);
    if (t !== undefined && t !== '') return truncateText(t, LIMITS.abstract);
  }
  return undefined;
}

function setIf(record: RawRecord, field: string, value: unknown): void {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return;
  record[field] = value;
}

function rssItem(item: XmlNode, sourceId: string, base: string | undefined, channelLanguage: string | undefined): RawRecord {
  const guidNode = child(item, 'guid', true);
  const guid = text(guidNode);
  const link = absoluteUrl(text(child(item, 'link', true)) ?? attr(child(item, 'link'), 'href'), base);
  const permalink = guid !== undefined && attr(guidNode, 'isPermaLink') !== 'false' && /^https?:\/\//i.test(guid) ? guid : undefined;
  const title = text(child(item, 'title'));
  const date = text(child(item, 'pubDate', true)) ?? texts(item, 'date')[0];
  const native = guid ?? attr(item, 'about') ?? link ?? fallbackId(title, date);

  const record: RawRecord = {};
  setIf(record, 'id', native === undefined ? undefined : prefixedId(sourceId, native));
  setIf(record, 'title', title === undefined ? undefined : decodeEntities(title));
  setIf(record, 'url', link ?? permalink);
  setIf(record, 'abstract', abstractOf(child(item, 'description', true), child(item, 'encoded'), child(item, 'summary')));
  setIf(record, 'published', date === undefined ? undefined : feedDate(date));
  setIf(record, 'authors', [...texts(item, 'author', true).map(rssAuthorName), ...texts(item, 'creator')]);
  setIf(record, 'keywords', [...texts(item, 'category', true), ...texts(item, 'subject')].map(decodeEntities));
  setIf(record, 'publisher', texts(item, 'publisher')[0]);
  setIf(record, 'language', texts(item, 'language')[0] ?? channelLanguage);
  return record;
}

function atomLink(entry: XmlNode, base: string | undefined): string | undefined {
  const links = childNodes(entry, 'link');
  const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate') ?? links[0];
  return absoluteUrl(attr(alternate, 'href'), attr(entry, 'base') ?? base);
}

/** Atom's text constructs, read raw (see parseFeed) and then as their type and mode say. */
const ATOM_TEXT_CONSTRUCTS = ['title', 'summary', 'content', 'subtitle', 'rights'];
const ATOM_ROOT = /^(?:\s|\uFEFF|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>)*<(?:([\w.-]+):)?feed[\s>/]/;
const HTML_TYPES = new Set(['html', 'text/html']);
const XML_TYPE = /^(?:xhtml|application\/xhtml\+xml|(?:text|application)\/xml|[\w.+-]+\/[\w.-]+\+xml)$/;

function rawTextOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && '#text' in value) {
    const t = (value as { '#text': unknown })['#text'];
    return typeof t === 'string' ? t : undefined;
  }
  return undefined;
}

/**
 * The plain text of an Atom text construct (its content still raw markup):
 * - Atom 1.0 (RFC 4287 §3.1, §4.1.3): type "text" (the default) is character data; "html" is
 *   escaped HTML, unescaped once and then turned into text; "xhtml" (or an XML media type) is
 *   inline markup, read in document order. A `text/…` media type is text, `text/html` HTML.
 * - Atom 0.3: mode "xml" (the default) is inline content, "escaped" escaped content and
 *   "base64" base64-encoded content; `type` is a media type (text/plain by default).
 */
export function atomText(value: unknown): string | undefined {
  const raw = rawTextOf(value);
  if (raw === undefined || raw.trim() === '') return undefined;
  const type = (attr(value, 'type') ?? 'text').trim().toLowerCase();
  const mode = attr(value, 'mode')?.trim().toLowerCase();
  let content: string;
  if (mode === 'base64') {
    content = Buffer.from(xmlCharacterData(raw), 'base64').toString('utf8');
  } else if (mode === 'escaped') {
    content = xmlCharacterData(raw);
  } else if (XML_TYPE.test(type) || (mode === 'xml' && /<[a-zA-Z]/.test(raw))) {
    return xhtmlToText(raw);
  } else {
    content = xmlCharacterData(raw);
  }
  return HTML_TYPES.has(type) || XML_TYPE.test(type) ? htmlToText(content) : content.trim();
}

/** The native entry with its text constructs as plain text, for the source's own mapping. */
function withPlainTextConstructs(entry: XmlNode): XmlNode {
  const out: XmlNode = { ...entry };
  for (const [key, value] of Object.entries(entry)) {
    if (!ATOM_TEXT_CONSTRUCTS.includes(localName(key))) continue;
    const plain = (v: unknown) => {
      const t = atomText(v) ?? '';
      return v !== null && typeof v === 'object' ? { ...(v as XmlNode), '#text': t } : t;
    };
    out[key] = Array.isArray(value) ? value.map(plain) : plain(value);
  }
  return out;
}

function atomEntry(entry: XmlNode, sourceId: string, base: string | undefined, feedLanguage: string | undefined): RawRecord {
  const title = atomText(child(entry, 'title'));
  const id = text(child(entry, 'id'));
  const url = atomLink(entry, base);
  const date = text(child(entry, 'published')) ?? text(child(entry, 'updated')) ?? texts(entry, 'date')[0];
  const native = id ?? url ?? fallbackId(title, date);

  const record: RawRecord = {};
  setIf(record, 'id', native === undefined ? undefined : prefixedId(sourceId, native));
  setIf(record, 'title', title);
  setIf(record, 'url', url);
  setIf(record, 'abstract', atomAbstract(child(entry, 'summary'), child(entry, 'content')));
  setIf(record, 'published', date === undefined ? undefined : feedDate(date));
  setIf(record, 'authors', [...childNodes(entry, 'author').flatMap((a) => texts(a, 'name')), ...texts(entry, 'creator')]);
  setIf(record, 'keywords', [
    ...childNodes(entry, 'category')
      .map((c) => attr(c, 'label') ?? attr(c, 'term'))
      .filter((c): c is string => c !== undefined && c.trim() !== ''),
    ...texts(entry, 'subject'),
  ]);
  setIf(record, 'publisher', texts(entry, 'publisher')[0]);
  setIf(record, 'language', attr(entry, 'lang') ?? texts(entry, 'language')[0] ?? feedLanguage);
  return record;
}

/**
 * Parses a feed; throws FeedFormatError (or XmlDocumentError) for anything that is not an RSS or
 * Atom document. `baseUrl` (the feed's URL) resolves relative links.
 */
export function parseFeed(xml: string, sourceId: string, baseUrl?: string): ParsedFeed {
  // An Atom feed's text constructs are kept as raw markup by the parser: their mixed content
  // (type="xhtml") would otherwise lose its order. The Atom prefix is the publisher's choice.
  const atom = ATOM_ROOT.exec(xml.slice(0, 4096));
  const prefix = atom?.[1] ? `${atom[1]}:` : '';
  const rawElements = atom ? ATOM_TEXT_CONSTRUCTS.map((name) => `..${prefix}entry.${prefix}${name}`) : undefined;
  const root = rootElement(parseXml(xml, { rawElements }));
  if (root === undefined) throw new FeedFormatError('the document has no root element');
  const name = root.name;
  if (name === 'rss') {
    const channel = childNodes(root.node, 'channel', true)[0];
    if (channel === undefined) throw new FeedFormatError('an RSS document without a <channel>');
    const language = texts(channel, 'language')[0];
    const entries = childNodes(channel, 'item', true).map((item) => ({ native: item, record: rssItem(item, sourceId, baseUrl, language) }));
    return { format: 'rss', entries };
  }
  if (name === 'rdf:RDF' || name.endsWith(':RDF')) {
    const channel = childNodes(root.node, 'channel')[0];
    const language = channel ? texts(channel, 'language')[0] : undefined;
    const entries = childNodes(root.node, 'item').map((item) => ({ native: item, record: rssItem(item, sourceId, baseUrl, language) }));
    return { format: 'rdf', entries };
  }
  if (name === 'feed' || name.endsWith(':feed')) {
    const base = attr(root.node, 'base') ?? baseUrl;
    const language = attr(root.node, 'lang');
    const entries = childNodes(root.node, 'entry').map((raw) => {
      const entry = withPlainTextConstructs(raw);
      return { native: entry, record: atomEntry(raw, sourceId, base, language) };
    });
    return { format: 'atom', entries };
  }
  throw new FeedFormatError(`not an RSS or Atom feed (the document is <${name}>)`);
}
