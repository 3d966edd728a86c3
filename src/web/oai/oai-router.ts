/**
 * The OAI-PMH 2.0 provider at /oai: Identify, ListMetadataFormats, ListSets, ListIdentifiers,
 * ListRecords and GetRecord in simple Dublin Core (oai_dc), over the engines' change listing
 * (documents in datestamp order, src/search/ports.ts). Sets: `type:<slug>` per resource type and
 * `theme:<id>` per theme, under `type` and `theme`. Every response is built by xmlbuilder2;
 * record text is never pasted into markup.
 *
 * How Dublin Core is filled, chosen so that Corridor's own OAI-PMH source (dublin-core.ts) reads
 * back the same record: title, creator per author, subject per keyword and theme, description,
 * publisher as written, date as given, type, language per language, coverage per country and
 * region (names), identifier: the original URL and the DOI (as a doi.org URL); this portal's page
 * only when the record has neither, so that a harvester always has a link.
 */
import express, { Router, type Request, type Response } from 'express';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { parseSearchParams } from '../../search/params';
import type { ChangeListRequest } from '../../search/ports';
import type { SearchService } from '../../search/search-service';
import { toDatestamp } from '../../search/datestamp';
import { doiUrl } from '../../search/doi';
import type { FacetName, ResourceDocument } from '../../search/types';
import { absoluteUrl, baseUrlOf } from '../public-url';
import { resourceHref, safeExternalUrl, type LabelLookup } from '../view-models';
import { parseDatestamp, parseOaiRequest, setSlug, type OaiError, type OaiRequest } from './protocol';
import { TokenSigner, type ResumptionState } from './token';

const OAI_NS = 'http://www.openarchives.org/OAI/2.0/';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const OAI_DC_NS = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
const DC_NS = 'http://purl.org/dc/elements/1.1/';
const OAI_ID_NS = 'http://www.openarchives.org/OAI/2.0/oai-identifier';
const DEFAULT_PAGE_SIZE = 100;
/** oai-identifier's repositoryIdentifier: a domain name with at least one dot. */
const DOMAIN = /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/;

export interface OaiRouteDeps {
  search: SearchService;
  labels: LabelLookup;
  siteName: string;
  tokenSecret?: string;
  pageSize?: number;
  adminEmail?: string;
}

interface Context {
  baseUrl: string;
  /** The repository part of item identifiers: the public host name. */
  repository: string;
}

class OaiFailure extends Error {
  constructor(readonly errors: OaiError[]) {
    super(errors.map((e) => e.code).join(', '));
  }
}
const fail = (code: OaiError['code'], message: string): never => {
  throw new OaiFailure([{ code, message }]);
};

export function oaiIdentifier(repository: string, id: string): string {
  return `oai:${repository}:${encodeURIComponent(id)}`;
}

function recordIdOf(identifier: string, repository: string): string | undefined {
  const prefix = `oai:${repository}:`;
  if (!identifier.startsWith(prefix)) return undefined;
  try {
    return decodeURIComponent(identifier.slice(prefix.length));
  } catch {
    return undefined;
  }
}

function setSpecs(doc: ResourceDocument): string[] {
  return [...(doc.type ? [`type:${setSlug(doc.type)}`] : []), ...doc.themes.map((t) => `theme:${t}`)];
}

function envelope(ctx: Context, request: OaiRequest | undefined): { root: XMLBuilder; doc: XMLBuilder } {
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\ufffd' });
  const root = doc
    .ele(OAI_NS, 'OAI-PMH')
    .att(XMLNS_NS, 'xmlns:xsi', XSI_NS)
    .att(XSI_NS, 'xsi:schemaLocation', `${OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd`);
  root.ele('responseDate').txt(toDatestamp(new Date()));
  // The request's arguments are echoed only when they were understood (badVerb/badArgument: none).
  const attributes = request ? { verb: request.verb, ...request.args } : {};
  root.ele('request', attributes).txt(absoluteUrl(ctx.baseUrl, '/oai'));
  return { root, doc };
}

function header(parent: XMLBuilder, doc: ResourceDocument & { changed: string }, ctx: Context): void {
  const h = parent.ele('header');
  h.ele('identifier').txt(oaiIdentifier(ctx.repository, doc.id));
  h.ele('datestamp').txt(doc.changed);
  for (const spec of setSpecs(doc)) h.ele('setSpec').txt(spec);
}

function dublinCore(parent: XMLBuilder, doc: ResourceDocument, ctx: Context, labels: LabelLookup): void {
  const dc = parent
    .ele(OAI_DC_NS, 'oai_dc:dc')
    .att(XMLNS_NS, 'xmlns:dc', DC_NS)
    .att(XMLNS_NS, 'xmlns:xsi', XSI_NS)
    .att(XSI_NS, 'xsi:schemaLocation', `${OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd`);
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') dc.ele(DC_NS, `dc:${name}`).txt(value);
  };
  add('title', doc.title);
  for (const author of doc.authors) add('creator', author);
  const subjects = [...doc.keywords, ...doc.themes.map((t) => labels.themeLabel(t) ?? t)];
  for (const subject of [...new Set(subjects)]) add('subject', subject);
  add('description', doc.abstract);
  add('publisher', doc.publisher);
  add('date', doc.published ?? (doc.year !== undefined ? String(doc.year) : undefined));
  add('type', doc.type);
  const url = safeExternalUrl(doc.url);
  if (url) add('identifier', url);
  if (doc.doi) add('identifier', doiUrl(doc.doi));
  if (!url && !doc.doi) add('identifier', absoluteUrl(ctx.baseUrl, resourceHref(doc.id)));
  for (const language of doc.languages) add('language', language);
  for (const code of doc.countries) add('coverage', labels.countryLabel(code) ?? code);
  const derived = new Set(doc.tagging.regions.derived ?? []);
  for (const region of [...doc.regions, ...doc.groupings]) if (!derived.has(region)) add('coverage', labels.regionLabel(region) ?? region);
}

export function oaiRouter(deps: OaiRouteDeps): Router {
  const router = Router();
  const signer = new TokenSigner(deps.tokenSecret);
  const pageSize = deps.pageSize ?? DEFAULT_PAGE_SIZE;

  /** Type and theme values present in the index, with the set each falls into. */
  async function setsInIndex(): Promise<{ types: { value: string; spec: string }[]; themes: { value: string; spec: string }[] }> {
    const parsed = parseSearchParams({ size: '1' });
    if (!parsed.ok) throw new Error('the empty search did not parse');
    const { result } = await deps.search.search(parsed.query);
    return {
      types: result.facets.type.map((v) => ({ value: v.value, spec: `type:${setSlug(v.value)}` })),
      themes: result.facets.theme.map((v) => ({ value: v.value, spec: `theme:${v.value}` })),
    };
  }

  /** A setSpec → the facet values it stands for; undefined when no such set exists. */
  async function resolveSet(spec: string): Promise<{ name: FacetName; values: string[] } | undefined> {
    const sets = await setsInIndex();
    if (spec === 'type') return { name: 'type', values: sets.types.map((t) => t.value) };
    if (spec === 'theme') return { name: 'theme', values: sets.themes.map((t) => t.value) };
    if (spec.startsWith('type:')) {
      const values = sets.types.filter((t) => t.spec === spec).map((t) => t.value);
      return values.length > 0 ? { name: 'type', values } : undefined;
    }
    if (spec.startsWith('theme:')) return { name: 'theme', values: [spec.slice('theme:'.length)] };
    return undefined;
  }

  async function identify(root: XMLBuilder, ctx: Context): Promise<void> {
    const first = await deps.search.listChanges({ limit: 1 });
    const el = root.ele('Identify');
    el.ele('repositoryName').txt(deps.siteName);
    el.ele('baseURL').txt(absoluteUrl(ctx.baseUrl, '/oai'));
    el.ele('protocolVersion').txt('2.0');
    el.ele('adminEmail').txt(deps.adminEmail ?? `webmaster@${ctx.repository}`);
    el.ele('earliestDatestamp').txt(first.documents[0]?.changed ?? toDatestamp(new Date()));
    // Rebuilds drop records without a trace, so deletions cannot be reported.
    el.ele('deletedRecord').txt('no');
    el.ele('granularity').txt('YYYY-MM-DDThh:mm:ssZ');
    if (DOMAIN.test(ctx.repository)) {
      const desc = el.ele('description').ele(OAI_ID_NS, 'oai-identifier');
      desc.att(XMLNS_NS, 'xmlns:xsi', XSI_NS).att(XSI_NS, 'xsi:schemaLocation', `${OAI_ID_NS} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd`);
      desc.ele('scheme').txt('oai');
      desc.ele('repositoryIdentifier').txt(ctx.repository);
      desc.ele('delimiter').txt(':');
      desc.ele('sampleIdentifier').txt(oaiIdentifier(ctx.repository, 'example-2024'));
    }
  }

  function metadataFormats(root: XMLBuilder): void {
    const f = root.ele('ListMetadataFormats').ele('metadataFormat');
    f.ele('metadataPrefix').txt('oai_dc');
    f.ele('schema').txt('http://www.openarchives.org/OAI/2.0/oai_dc.xsd');
    f.ele('metadataNamespace').txt(OAI_DC_NS);
  }

  async function getRecord(root: XMLBuilder, args: Record<string, string>, ctx: Context): Promise<void> {
    const id = recordIdOf(args.identifier!, ctx.repository);
    const doc = id === undefined ? null : await deps.search.get(id);
    if (!doc) return fail('idDoesNotExist', `there is no item ${args.identifier!.slice(0, 300)}`);
    if (args.metadataPrefix !== 'oai_dc') return fail('cannotDisseminateFormat', `only oai_dc is disseminated, not "${args.metadataPrefix!.slice(0, 60)}"`);
    const changed = doc.changed ?? toDatestamp(new Date());
    const record = root.ele('GetRecord').ele('record');
    header(record, { ...doc, changed }, ctx);
    dublinCore(record.ele('metadata'), doc, ctx, deps.labels);
  }

  /** The list's state: from a resumption token, or from the first request's arguments. */
  function listState(request: OaiRequest): ResumptionState | Omit<ResumptionState, 'after' | 'gen'> {
    const { args } = request;
    if (args.resumptionToken !== undefined) {
      const state = signer.decode(args.resumptionToken);
      if (!state || state.verb !== request.verb) return fail('badResumptionToken', 'the resumptionToken is not one this repository issued for this verb');
      return state;
    }
    if (args.metadataPrefix !== 'oai_dc') return fail('cannotDisseminateFormat', `only oai_dc is disseminated, not "${args.metadataPrefix!.slice(0, 60)}"`);
    const from = args.from !== undefined ? parseDatestamp(args.from, 'from') : undefined;
    const until = args.until !== undefined ? parseDatestamp(args.until, 'until') : undefined;
    const errors: OaiError[] = [];
    if (args.from !== undefined && !from) errors.push({ code: 'badArgument', message: 'from must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ' });
    if (args.until !== undefined && !until) errors.push({ code: 'badArgument', message: 'until must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ' });
    if (from && until && from.granularity !== until.granularity) errors.push({ code: 'badArgument', message: 'from and until must have the same granularity' });
    if (from && until && from.stamp > until.stamp) errors.push({ code: 'badArgument', message: 'from is later than until' });
    if (errors.length > 0) throw new OaiFailure(errors);
    return { v: 1, verb: request.verb as ResumptionState['verb'], prefix: 'oai_dc', from: from?.stamp, until: until?.stamp, set: args.set, cursor: 0 };
  }

  async function list(root: XMLBuilder, request: OaiRequest, ctx: Context): Promise<void> {
    const state = listState(request);
    let facet: ChangeListRequest['facet'];
    if (state.set !== undefined) {
      facet = await resolveSet(state.set);
      if (!facet) return fail('noRecordsMatch', `there is no set "${state.set.slice(0, 100)}"`);
    }
    const after = 'after' in state ? state.after : undefined;
    const page = await deps.search.listChanges({ from: state.from, until: state.until, facet, after, limit: pageSize });
    if ('gen' in state && state.gen !== page.generation) {
      return fail('badResumptionToken', 'the library was rebuilt since this list started; start the harvest again (a from date of your last complete harvest only fetches what changed)');
    }
    if (page.documents.length === 0) {
      if (after === undefined) return fail('noRecordsMatch', 'no records match these arguments');
    }
    const el = root.ele(request.verb);
    for (const doc of page.documents) {
      if (request.verb === 'ListIdentifiers') {
        header(el, doc, ctx);
      } else {
        const record = el.ele('record');
        header(record, doc, ctx);
        dublinCore(record.ele('metadata'), doc, ctx, deps.labels);
      }
    }
    const sent = state.cursor + page.documents.length;
    const more = sent < page.total && page.documents.length === pageSize;
    if (more || after !== undefined) {
      const last = page.documents[page.documents.length - 1];
      const token =
        more && last && page.generation
          ? signer.encode({ ...state, v: 1, after: { changed: last.changed, id: last.id }, cursor: sent, gen: page.generation })
          : '';
      // The last page of a resumed list carries an empty token, as the protocol asks.
      el.ele('resumptionToken', { completeListSize: String(page.total), cursor: String(state.cursor) }).txt(token);
    }
  }

  async function listSets(root: XMLBuilder): Promise<void> {
    const sets = await setsInIndex();
    const el = root.ele('ListSets');
    const add = (spec: string, name: string) => el.ele('set').ele('setSpec').txt(spec).up().ele('setName').txt(name);
    add('type', 'Resource types');
    const seen = new Set<string>();
    for (const t of sets.types) {
      if (seen.has(t.spec)) continue;
      seen.add(t.spec);
      add(t.spec, `Type: ${t.value}`);
    }
    add('theme', 'Themes');
    for (const t of sets.themes) add(t.spec, `Theme: ${deps.labels.themeLabel(t.value) ?? t.value}`);
  }

  async function handle(req: Request, res: Response, raw: Record<string, unknown>): Promise<void> {
    const baseUrl = baseUrlOf(res);
    const ctx: Context = { baseUrl, repository: new URL(baseUrl).hostname };
    const parsed = parseOaiRequest(raw);
    const request = parsed.ok ? parsed.request : undefined;
    const { root, doc } = envelope(ctx, request);
    try {
      if (!parsed.ok) throw new OaiFailure(parsed.errors);
      const { verb, args } = parsed.request;
      switch (verb) {
        case 'Identify':
          await identify(root, ctx);
          break;
        case 'ListMetadataFormats':
          if (args.identifier !== undefined) {
            const id = recordIdOf(args.identifier, ctx.repository);
            if (id === undefined || !(await deps.search.get(id))) fail('idDoesNotExist', `there is no item ${args.identifier.slice(0, 300)}`);
          }
          metadataFormats(root);
          break;
        case 'ListSets':
          if (args.resumptionToken !== undefined) fail('badResumptionToken', 'ListSets is answered in one response; this repository issued no token for it');
          await listSets(root);
          break;
        case 'GetRecord':
          await getRecord(root, args, ctx);
          break;
        case 'ListIdentifiers':
        case 'ListRecords':
          await list(root, parsed.request, ctx);
          break;
      }
    } catch (err) {
      if (!(err instanceof OaiFailure)) throw err;
      // An error response holds the errors and nothing else.
      const { root: errorRoot, doc: errorDoc } = envelope(ctx, err.errors.some((e) => e.code === 'badVerb' || e.code === 'badArgument') ? undefined : request);
      for (const e of err.errors) errorRoot.ele('error', { code: e.code }).txt(e.message);
      send(res, errorDoc);
      return;
    }
    send(res, doc);
    void req;
  }

  function send(res: Response, doc: XMLBuilder): void {
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/xml; charset=utf-8').send(doc.end({ prettyPrint: true }));
  }

  router.get('/oai', (req, res) => handle(req, res, req.query as Record<string, unknown>));
  // The protocol allows POST with the same arguments, form-encoded.
  router.post('/oai', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }), (req, res) =>
    handle(req, res, (req.body ?? {}) as Record<string, unknown>),
  );
  return router;
}
