/**
 * The UN M49 hierarchy of vocab/regions.json: continents, their sub-regions (and intermediate
 * regions, such as Eastern Africa within Sub-Saharan Africa), and the countries of each. Pure.
 *
 * The file lists members, not parents: a region's parent is the smallest other geographic region
 * whose members include all of its members, and a country belongs under the smallest geographic
 * region that has it as a member. So the tree follows the membership lists as they are
 * maintained, and a region added to the file takes its place without further edits.
 */
import { GEOGRAPHY_KINDS, type Region } from './types';

export interface GeographyNode {
  id: string;
  /** Sub-regions, in vocabulary order. */
  regions: string[];
  /** ISO3 codes of the countries directly under this region (not under one of its sub-regions). */
  countries: string[];
}

export interface GeographyTree {
  /** The continents (regions with no parent), in vocabulary order. */
  roots: string[];
  node(id: string): GeographyNode | undefined;
  /** The region a country or sub-region sits directly under. */
  parent(idOrCountry: string): string | undefined;
}

function isSubset(small: ReadonlySet<string>, large: ReadonlySet<string>): boolean {
  if (small.size >= large.size) return false;
  for (const m of small) if (!large.has(m)) return false;
  return true;
}

/** The smallest of `candidates` whose members satisfy `contains`, or undefined. */
function smallest(candidates: readonly Region[], members: Map<string, Set<string>>, contains: (set: Set<string>) => boolean): string | undefined {
  let best: string | undefined;
  let bestSize = Infinity;
  for (const r of candidates) {
    const set = members.get(r.id)!;
    if (set.size < bestSize && contains(set)) {
      best = r.id;
      bestSize = set.size;
    }
  }
  return best;
}

export function buildGeography(regions: readonly Region[]): GeographyTree {
  const geographic = regions.filter((r) => GEOGRAPHY_KINDS.includes(r.kind));
  const members = new Map(geographic.map((r) => [r.id, new Set(r.members)]));
  const nodes = new Map<string, GeographyNode>(geographic.map((r) => [r.id, { id: r.id, regions: [], countries: [] }]));
  const parents = new Map<string, string>();
  const roots: string[] = [];

  for (const r of geographic) {
    const own = members.get(r.id)!;
    const parent = smallest(geographic, members, (set) => isSubset(own, set));
    if (parent === undefined) roots.push(r.id);
    else {
      parents.set(r.id, parent);
      nodes.get(parent)!.regions.push(r.id);
    }
  }
  const countries = [...new Set(geographic.flatMap((r) => r.members))].sort();
  for (const code of countries) {
    const home = smallest(geographic, members, (set) => set.has(code));
    if (home === undefined) continue;
    parents.set(code, home);
    nodes.get(home)!.countries.push(code);
  }
  return {
    roots,
    node: (id) => nodes.get(id),
    parent: (id) => parents.get(id),
  };
}
