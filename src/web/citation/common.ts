/** What every export format needs from a document, read once. Pure. */
import { FACET_FIELDS } from '../../search/fields';
import type { ResourceDocument } from '../../search/types';
import type { LabelLookup } from '../labels';
import { absoluteUrl } from '../public-url';
import { resourceHref, safeExternalUrl } from '../links';

export interface ExportContext {
  baseUrl: string;
  labels: LabelLookup;
  siteName: string;
}

/** "2019-03-05" → [2019, 3, 5]; "2019" → [2019]; undefined when undated. */
export function dateParts(doc: ResourceDocument): number[] | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(doc.published ?? '');
  if (m) return [m[1], m[2], m[3]].filter((p): p is string => p !== undefined).map(Number);
  return doc.year !== undefined ? [doc.year] : undefined;
}

export function pageUrl(doc: ResourceDocument, ctx: ExportContext): string {
  return absoluteUrl(ctx.baseUrl, resourceHref(doc.id));
}

/** The link a citation gives: the original when it is a safe http(s) URL, else this portal's page. */
export function citationUrl(doc: ResourceDocument, ctx: ExportContext): string {
  return safeExternalUrl(doc.url) ?? pageUrl(doc, ctx);
}

export function countryNames(doc: ResourceDocument, ctx: ExportContext): string[] {
  return FACET_FIELDS.country.values(doc).map((c) => ctx.labels.countryLabel(c) ?? c);
}

export function themeNames(doc: ResourceDocument, ctx: ExportContext): string[] {
  return doc.themes.map((t) => ctx.labels.themeLabel(t) ?? t);
}

export function regionNames(doc: ResourceDocument, ctx: ExportContext): string[] {
  return doc.regions.map((r) => ctx.labels.regionLabel(r) ?? r);
}

/** Keywords for reference managers: the record's own, then its themes and countries. */
export function subjectTerms(doc: ResourceDocument, ctx: ExportContext): string[] {
  const seen = new Set<string>();
  return [...doc.keywords, ...themeNames(doc, ctx), ...countryNames(doc, ctx)].filter((k) => {
    const key = k.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Grey literature is mostly reports; a few types have their own kind in every format. */
export type CitationKind = 'report' | 'book' | 'dataset' | 'legal' | 'article' | 'thesis' | 'document';

export function citationKind(type: string | undefined): CitationKind {
  const t = (type ?? '').toLowerCase();
  if (/data ?set|statistic/.test(t)) return 'dataset';
  if (/legal|law|convention|treaty|agreement|act\b|regulation|legislation/.test(t)) return 'legal';
  if (/book|handbook|manual|guide|toolkit/.test(t)) return 'book';
  if (/article|journal/.test(t)) return 'article';
  if (/thesis|dissertation/.test(t)) return 'thesis';
  if (t === '' || /report|brief|paper|study|evaluation|profile|fact ?sheet|assessment|review|note|analysis|survey|strategy|plan|framework/.test(t)) {
    return 'report';
  }
  return 'document';
}
