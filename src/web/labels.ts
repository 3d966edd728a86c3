/** How facet values are named on the pages. Pure. */
import { facetLabeller } from '../search/facet-values';
import { FACET_FIELDS } from '../search/fields';
import { FACET_NAMES, type FacetName } from '../search/types';

export { languageLabel } from '../search/languages';

/**
 * Display labels for tag ids. The vocabulary implements this; declared here so the web layer
 * depends on the shape, not on the vocabulary module. Unknown ids return undefined (the id is
 * then shown as is).
 */
export interface LabelLookup {
  countryLabel(code: string): string | undefined;
  regionLabel(id: string): string | undefined;
  themeLabel(id: string): string | undefined;
}

export const FACET_LABELS: Record<FacetName, string> = Object.fromEntries(
  FACET_NAMES.map((f) => [f, FACET_FIELDS[f].label]),
) as Record<FacetName, string>;

export function facetValueLabel(facet: FacetName, value: string, labels: LabelLookup): string {
  return facetLabeller(labels)(facet, value);
}

/** "Nepal → Qatar" for "NPL-QAT". */
export function corridorLabel(value: string, labels: LabelLookup): string {
  return facetValueLabel('corridor', value, labels);
}
