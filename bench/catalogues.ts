/**
 * The real catalogues of ../shared/data mapped field for field to Corridor's record format, as a
 * source mapping would do it: what the benchmark corpus and the catalogue evaluation ingest.
 */
type Json = Record<string, unknown>;

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
export const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** USAID DEC record → the record format, as a source mapping would do it. */
export function usaidRecord(r: Json): Json {
  return {
    id: r.id,
    title: r.title,
    abstract: str(r.abstract),
    published: str(r.date),
    publisher: str(r.publisher)?.replace(/^\d+ - /, ''),
    type: str(r.resource_type),
    language: str(r.language),
    countries: list(r.countries),
    keywords: list(r.subjects),
  };
}

/** IOM evaluation record → the record format. */
export function iomRecord(r: Json): Json {
  return {
    id: r.id,
    title: r.title,
    published: str(r.date) ?? str(r.year),
    publisher: str(r.publisher),
    authors: str(r.author) ? [r.author] : [],
    type: list(r.resource_type)[0],
    countries: list(r.countries_raw),
    keywords: [...list(r.themes), ...list(r.crosscutting)],
    language: list(r.languages),
    url: list(r.urls)[0],
  };
}
