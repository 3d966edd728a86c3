/**
 * Why a record that has none of the query's words in its text was found: it carries a tag the
 * query named, or a country of a region the query named ("Tagged: Qatar (Gulf Cooperation
 * Council)" for a search for the Gulf). Pure.
 */
import type { TagField } from './analysed-query';
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
    if (tag.field === 'countries' && doc.countries.includes(tag.value)) add(tag);
    else if (tag.field === 'themes' && doc.themes.includes(tag.value)) add(tag);
    else if (tag.field === 'regions' && doc.regions.includes(tag.value)) {
      const stated = doc.tagging.regions.given.includes(tag.value) || doc.tagging.regions.found.includes(tag.value);
      const members = stated ? [] : doc.countries.filter((c) => regionMembers(tag.value).includes(c));
      if (members.length === 0) add(tag);
      for (const c of members) add({ field: 'countries', value: c, via: { field: 'regions', value: tag.value } });
    }
  }
  return out;
}
