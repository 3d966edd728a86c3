/** DOIs as records and sources write them → the bare, lower-case DOI. Pure. */

const DOI = /(10\.\d{4,9}\/\S+)/;
const DOI_PREFIXES = /^(?:doi:\s*|https?:\/\/(?:dx\.|www\.)?doi\.org\/|info:doi\/)/i;

/**
 * The DOI in an identifier: "10.1234/abc", "doi:10.1234/abc", "https://doi.org/10.1234/abc".
 * Lower case: DOIs compare case-insensitively, and one form keeps duplicate detection and
 * exports consistent.
 */
export function extractDoi(value: string): string | undefined {
  const v = value.trim();
  const stripped = v.replace(DOI_PREFIXES, '');
  if (stripped === v && !/^10\./.test(v)) return undefined;
  const m = DOI.exec(stripped);
  if (m === null || m.index !== 0) return undefined;
  return decodeURIComponentSafe(m[1]!.replace(/[.,;]+$/, '')).toLowerCase();
}

/** The resolver address of a DOI: where a record known only by its DOI links to. */
export function doiUrl(doi: string): string {
  return `https://doi.org/${doi.split('/').map(encodeURIComponent).join('/').replace(/%3A/gi, ':')}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
