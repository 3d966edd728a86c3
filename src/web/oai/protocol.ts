/**
 * OAI-PMH 2.0 requests: which arguments each verb takes, and what is wrong with a request, in the
 * protocol's own error codes. Pure.
 */
export const VERBS = ['Identify', 'ListMetadataFormats', 'ListSets', 'ListIdentifiers', 'ListRecords', 'GetRecord'] as const;
export type Verb = (typeof VERBS)[number];

export type OaiErrorCode =
  | 'badArgument'
  | 'badResumptionToken'
  | 'badVerb'
  | 'cannotDisseminateFormat'
  | 'idDoesNotExist'
  | 'noRecordsMatch'
  | 'noMetadataFormats'
  | 'noSetHierarchy';

export interface OaiError {
  code: OaiErrorCode;
  message: string;
}

const ARGUMENTS: Record<Verb, { required: string[]; optional: string[]; exclusive?: string }> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
};

export interface OaiRequest {
  verb: Verb;
  args: Record<string, string>;
}

export type ParsedRequest = { ok: true; request: OaiRequest } | { ok: false; errors: OaiError[]; verb?: Verb };

/** Checks verb and arguments (not their values' meaning: formats, dates and tokens are checked later). */
export function parseOaiRequest(raw: Record<string, unknown>): ParsedRequest {
  const errors: OaiError[] = [];
  const args: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) errors.push({ code: 'badArgument', message: `${name} is given more than once` });
    else args[name] = String(value);
  }
  const verbValue = args.verb;
  if (verbValue === undefined || !(VERBS as readonly string[]).includes(verbValue)) {
    return {
      ok: false,
      errors: [{ code: 'badVerb', message: verbValue === undefined ? 'the verb argument is missing' : `"${verbValue.slice(0, 60)}" is not an OAI-PMH verb` }],
    };
  }
  const verb = verbValue as Verb;
  delete args.verb;
  const spec = ARGUMENTS[verb];
  const allowed = new Set([...spec.required, ...spec.optional, ...(spec.exclusive ? [spec.exclusive] : [])]);
  for (const name of Object.keys(args)) {
    if (!allowed.has(name)) errors.push({ code: 'badArgument', message: `${verb} does not take the argument "${name.slice(0, 60)}"` });
  }
  if (spec.exclusive && args[spec.exclusive] !== undefined) {
    if (Object.keys(args).length > 1) errors.push({ code: 'badArgument', message: `${spec.exclusive} is an exclusive argument: give it alone` });
  } else {
    for (const name of spec.required) {
      if (args[name] === undefined || args[name] === '') errors.push({ code: 'badArgument', message: `${verb} requires the argument ${name}` });
    }
  }
  return errors.length > 0 ? { ok: false, errors, verb } : { ok: true, request: { verb, args } };
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const SECOND = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** A from/until value as a datestamp bound; day granularity widens to the whole day. */
export function parseDatestamp(value: string, bound: 'from' | 'until'): { stamp: string; granularity: 'day' | 'second' } | undefined {
  const day = DAY.exec(value);
  const second = day ? undefined : SECOND.exec(value);
  const m = day ?? second;
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  // Rejects 2021-02-30 and 25:00:00, which Date would roll over.
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d) || date.getUTCHours() !== Number(h) || date.getUTCMinutes() !== Number(mi) || date.getUTCSeconds() !== Number(s)) {
    return undefined;
  }
  if (day) return { stamp: `${value}T${bound === 'from' ? '00:00:00' : '23:59:59'}Z`, granularity: 'day' };
  return { stamp: value, granularity: 'second' };
}

/** "Policy brief" → "policy-brief": a type as a setSpec (letters, digits and -_.!~*'() only). */
export function setSlug(value: string): string {
  const slug = value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // A type in another script has no ASCII letters: its UTF-8 bytes in hex keep it distinct.
  return slug !== '' ? slug : `x${Buffer.from(value, 'utf8').toString('hex').slice(0, 60)}`;
}
