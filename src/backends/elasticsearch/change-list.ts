/**
 * ChangeListRequest → Elasticsearch queries. Pure.
 *
 * A document's datestamp is its `changed` field, or, when that is absent (it changed in the live
 * generation's own build), the generation's commit time `builtAt`. Every present `changed` is
 * older than `builtAt`, but not necessarily by a second, so the order sorts missing values AS
 * `builtAt` (a custom `missing`, in epoch milliseconds) rather than last: the order is then
 * exactly (datestamp, id), and a keyset cursor means the same in the query as in the sort.
 */
import type { estypes } from '@elastic/elasticsearch';
import { FACET_FIELDS } from '../../search/fields';
import type { ChangeListRequest } from '../../search/ports';

type Query = estypes.QueryDslQueryContainer;

const MISSING: Query = { bool: { must_not: { exists: { field: 'changed' } } } };

interface Bounds {
  gte?: string;
  gt?: string;
  lte?: string;
}

function satisfies(value: string, b: Bounds): boolean {
  return (b.gte === undefined || value >= b.gte) && (b.gt === undefined || value > b.gt) && (b.lte === undefined || value <= b.lte);
}

/** "The datestamp lies within these bounds", for present and missing `changed` alike. */
function datestampWithin(bounds: Bounds, builtAt: string): Query {
  const should: Query[] = [{ range: { changed: { ...bounds, format: 'strict_date_time_no_millis' } } }];
  if (satisfies(builtAt, bounds)) should.push(MISSING);
  return { bool: { should, minimum_should_match: 1 } };
}

/** The filter of from/until and the set, without the cursor: what `total` counts. */
export function changeListFilter(request: ChangeListRequest, builtAt: string): Query[] {
  const filter: Query[] = [];
  if (request.from !== undefined || request.until !== undefined) {
    filter.push(datestampWithin({ gte: request.from, lte: request.until }, builtAt));
  }
  if (request.facet) filter.push({ terms: { [FACET_FIELDS[request.facet.name].field]: request.facet.values } });
  return filter;
}

/** After (changed, id) in the order: a later datestamp, or the same one and a greater id. */
export function afterCursor(after: { changed: string; id: string }, builtAt: string): Query {
  return {
    bool: {
      should: [
        datestampWithin({ gt: after.changed }, builtAt),
        { bool: { filter: [datestampWithin({ gte: after.changed, lte: after.changed }, builtAt), { range: { id: { gt: after.id } } }] } },
      ],
      minimum_should_match: 1,
    },
  };
}

export function changeListSort(builtAt: string): estypes.Sort {
  return [{ changed: { order: 'asc', missing: Date.parse(builtAt) } }, { id: { order: 'asc' } }];
}
