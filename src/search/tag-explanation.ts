/**
 * Why a record that has none of the query's words in its text was found: it carries a tag the
 * query named, or a country of a region the query named ("Tagged: Qatar (Gulf Cooperation
 * Council)" for a search for the Gulf). Pure.
 */
import type { TagField } from './analysed-query';
import { tagValues } from './fields';
import type { ResourceDocument } from './types';

export interface TagMatch {
  /** The record's tag that matched. */
  field: TagField;
  value: string;
  /** The region the query named, when the record matched through one of its member countries. */
  via?: { field: 'regions'; value: string };
}

export function explainTagMatches(
  doc: ResourceDocument,
  queryTags: readonly { field: TagField; value: string }[],
  regionMembers: (id: string) => readonly string[],
): TagMatch[] {
  const out: TagMatch[] = [];
  const add = (m: TagMatch): void => {
    if (!out.some((o) => o.field === m.field && o.value === m.value && o.via?.value === m.via?.value)) out.push(m);
  };
  for (const tag of queryTags) {
    if (!tagValues(doc, tag.field).includes(tag.value)) continue;
    // A region tag is carried as a UN M49 region or as a grouping (fields.ts TAG_FACETS).
    if (tag.field !== 'regions') add(tag);
    else {
      const stated = doc.tagging.regions.given.includes(tag.value) || doc.tagging.regions.found.includes(tag.value);
      const members = stated ? [] : doc.countries.filter((c) => regionMembers(tag.value).includes(c));
      if (members.length === 0) add(tag);
      for (const c of members) add({ field: 'countries', value: c, via: { field: 'regions', value: tag.value } });
    }
  }
  return out;
}
