/**
 * The OpenAPI 3.1 description of the public JSON API, served at /api/openapi.json. The response
 * schemas are generated from the zod schemas in api-model.ts (the same declarations the types
 * come from); the parameters follow src/search/params.ts, whose limits they repeat from its
 * constants. Tests validate real responses against this document, and CI fuzzes the API with it.
 */
import { z } from 'zod';
import { FACET_FIELDS } from '../search/fields';
import { MAX_PAGE_SIZE, MAX_QUERY_LENGTH, MAX_VALUES_PER_FACET } from '../search/params';
import { FACET_NAMES, SORT_ORDERS } from '../search/types';
import { ApiErrorSchema, ApiFacetValuesResponseSchema, ApiHealthSchema, ApiResourceSchema, ApiSearchResponseSchema, ApiSuggestResponseSchema } from './api-model';
import { API_MAX_LIMIT, MAX_OFFSET, MAX_PREFIX_LENGTH } from './routes/facets';
import { MAX_SUGGESTIONS } from '../search/suggest';

const COMPONENTS = {
  SearchResponse: ApiSearchResponseSchema,
  FacetValues: ApiFacetValuesResponseSchema,
  Resource: ApiResourceSchema,
  Health: ApiHealthSchema,
  Suggestions: ApiSuggestResponseSchema,
  Error: ApiErrorSchema,
} as const;

type JsonSchema = Record<string, unknown>;

/** The component schemas, as JSON Schema 2020-12 (OpenAPI 3.1's dialect). */
export function componentSchemas(): Record<keyof typeof COMPONENTS, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` });
  // Each component is a plain schema inside the document: no $schema or $id of its own.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema as JsonSchema;
      void _s;
      void _i;
      return [id, rest];
    }),
  ) as Record<keyof typeof COMPONENTS, JsonSchema>;
}

const ref = (name: keyof typeof COMPONENTS) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: keyof typeof COMPONENTS, description: string) => ({ description, content: { 'application/json': { schema: ref(name) } } });
const year = { type: 'integer', minimum: 1000, maximum: 2999 };

function facetParameter(name: (typeof FACET_NAMES)[number]): JsonSchema {
  const field = FACET_FIELDS[name];
  const item: JsonSchema = field.code ? { type: 'string', pattern: field.code.pattern.source } : { type: 'string', minLength: 1, maxLength: 200 };
  return {
    name,
    in: 'query',
    description: `${field.label}: repeat for several values (OR within a facet, AND across facets).`,
    style: 'form',
    explode: true,
    schema: { type: 'array', items: item, maxItems: MAX_VALUES_PER_FACET },
  };
}

const searchParameters: JsonSchema[] = [
  { name: 'q', in: 'query', description: 'Words, "quoted phrases", -exclusions, word* for any ending, AND/OR/NOT and parentheses.', schema: { type: 'string', maxLength: MAX_QUERY_LENGTH } },
  ...FACET_NAMES.map(facetParameter),
  { name: 'from', in: 'query', description: 'First year (inclusive).', schema: year },
  { name: 'to', in: 'query', description: 'Last year (inclusive); given before `from`, the two are swapped.', schema: year },
  {
    name: 'undated',
    in: 'query',
    description: '`only`: only resources without a date (a year range is then left out); `include`: the year range and the undated resources.',
    schema: { type: 'string', enum: ['only', 'include'] },
  },
  { name: 'sort', in: 'query', description: 'Default: relevance with words, newest without.', schema: { type: 'string', enum: [...SORT_ORDERS] } },
  { name: 'page', in: 'query', description: 'Page, from 1; pages beyond the 10,000th result are refused (400).', schema: { type: 'integer', minimum: 1 } },
  { name: 'size', in: 'query', description: 'Results per page.', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE } },
];

const failures = {
  '400': json('Error', 'A parameter is not valid; `error.params` names each one.'),
  '503': json('Error', 'The search engine cannot answer at the moment.'),
};

export function openApiDocument(baseUrl: string, siteName: string): JsonSchema {
  return {
    openapi: '3.1.0',
    info: {
      title: `${siteName} public API`,
      version: '1.0.0',
      description: 'Search publications on labour migration and read one record. The parameters are those of the search page; fields are added, never renamed.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: baseUrl }],
    paths: {
      '/api/search': {
        get: {
          operationId: 'search',
          summary: 'Search, with facet counts',
          parameters: searchParameters,
          responses: { '200': json('SearchResponse', 'One page of results and the facets of the whole result.'), ...failures },
        },
      },
      '/api/facets/{name}': {
        get: {
          operationId: 'facetValues',
          summary: "Every value of one facet for a search, with the search's counts",
          parameters: [
            { name: 'name', in: 'path', required: true, schema: { type: 'string', enum: [...FACET_NAMES] } },
            ...searchParameters,
            { name: 'prefix', in: 'query', description: 'Only values with a word starting with this (case and accents ignored).', schema: { type: 'string', maxLength: MAX_PREFIX_LENGTH } },
            { name: 'order', in: 'query', description: 'Most results first (equal counts by name), or by name.', schema: { type: 'string', enum: ['count', 'label'] } },
            { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, maximum: MAX_OFFSET } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: API_MAX_LIMIT } },
          ],
          responses: {
            '200': json('FacetValues', 'One page of the values.'),
            '404': json('Error', 'There is no such facet.'),
            ...failures,
          },
        },
      },
      '/api/resources/{id}': {
        get: {
          operationId: 'getResource',
          summary: 'One resource with all its metadata',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 300 } }],
          responses: {
            '200': json('Resource', 'The resource.'),
            '404': json('Error', 'There is no resource with this id.'),
            ...failures,
          },
        },
      },
      '/api/suggest': {
        get: {
          operationId: 'suggest',
          summary: 'Suggestions for what is being typed in a search box',
          description:
            'Countries, regions and themes (by any of their names), publishers and titles that complete the typed words, ' +
            'only those the library has. Fewer than two letters or more than 100 give none.',
          parameters: [
            { name: 'q', in: 'query', description: 'What has been typed so far.', schema: { type: 'string', maxLength: MAX_QUERY_LENGTH } },
            { name: 'limit', in: 'query', description: 'At most this many suggestions (default 8).', schema: { type: 'integer', minimum: 1, maximum: MAX_SUGGESTIONS } },
          ],
          responses: { '200': json('Suggestions', 'The suggestions, best first: names and publishers by how well they match, then titles.'), ...failures },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          summary: 'Whether the search engine answers',
          responses: { '200': json('Health', 'The engine answers.'), '503': json('Health', 'The engine does not answer; `reason` says why.') },
        },
      },
    },
    components: { schemas: componentSchemas() },
  };
}
