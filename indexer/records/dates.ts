/**
 * Publication dates as catalogues write them → "YYYY", "YYYY-MM" or "YYYY-MM-DD". Pure.
 *
 * Catalogue exports carry ISO dates, but also "1956-5", "2019/20" (a fiscal or academic year),
 * "March 2021", "5 mars 2021", "03/2021", "[2005]", "c. 1998" and ISO date-times. Each is read to
 * the precision it states, never more: "2019/20" is the year 2019, and "04/05/2019", which is
 * 4 May or April 5 depending on who wrote it, is only the year. What cannot be read at all is
 * not a reason to lose the record: the caller keeps it undated, with the message returned here.
 */

export const YEAR_RANGE = { min: 1800, max: 2100 } as const;

export type DateReading =
  | { ok: true; date: string; note?: string }
  | { ok: false; message: string };

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const yearOk = (y: number): boolean => y >= YEAR_RANGE.min && y <= YEAR_RANGE.max;

/** The most precise valid date of these parts; day and month are dropped when they cannot be. */
function compose(year: number, month?: number, day?: number): string | undefined {
  if (!yearOk(year)) return undefined;
  if (month === undefined || month < 1 || month > 12) return month === undefined ? String(year) : undefined;
  if (day === undefined) return `${year}-${pad(month)}`;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${year}-${pad(month)}-${pad(day)}`;
}

// Month names in the languages catalogue records of this field are written in (English, French,
// Spanish, Portuguese), full and abbreviated, without accents (the input is folded first).
const MONTHS: Record<string, number> = {};
[
  ['january jan janvier janv enero ene janeiro', 1],
  ['february feb fevrier fevr fev febrero fevereiro', 2],
  ['march mar mars marzo marco', 3],
  ['april apr avril avr abril abr', 4],
  ['may mai mayo maio', 5],
  ['june jun juin junio junho', 6],
  ['july jul juillet juil julio julho', 7],
  ['august aug aout agosto ago', 8],
  ['september sep sept septembre septiembre setiembre setembro set', 9],
  ['october oct octobre octubre outubro out', 10],
  ['november nov novembre noviembre novembro', 11],
  ['december dec decembre diciembre dezembro dic dez', 12],
].forEach(([names, month]) => {
  for (const name of (names as string).split(' ')) MONTHS[name] = month as number;
});

function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

const ISO = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[t ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const YEAR_ONLY = /^(\d{4})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const YMD_SEPARATED = /^(\d{4})[/.](\d{1,2})(?:[/.](\d{1,2}))?$/;
const YEAR_RANGE_FORM = /^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$/;
const MONTH_YEAR_NUMERIC = /^(\d{1,2})[/.-](\d{4})$/;
const DAY_MONTH_YEAR_NUMERIC = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
/** "March 2021", "mars 2021", "March, 2021", "5 March 2021", "5th of March 2021", "March 5, 2021", "Mar. 5 2021". */
const WORDY = /^(?:(\d{1,2})(?:st|nd|rd|th|er)?\s+(?:de\s+|of\s+)?)?([a-z]+)\.?,?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(?:de\s+)?(\d{4})$/;
/** Decorations around a bare year: "[2005]", "(2005)", "c. 2005", "ca 2005", "2005?", "©2005", "cop. 2005". */
const DECORATED_YEAR = /^(?:\[|\()?\s*(?:c\.?|ca\.?|circa|cop\.?|©|p)?\s*(\d{4})\s*\??\s*(?:\]|\))?\.?$/;
const ANY_YEAR = /(?<!\d)(1[89]\d{2}|20\d{2}|2100)(?!\d)/g;

/**
 * Reads a publication date. `note` says when the value was read less precisely than written
 * (a range, an ambiguous day and month, a year taken from surrounding text), so a run can warn.
 */
export function readPublished(input: string): DateReading {
  const value = fold(input.trim()).replace(/\s+/g, ' ');
  const fail = (why = 'not a date Corridor can read'): DateReading => ({ ok: false, message: `'${shorten(input)}' is ${why}; kept undated` });
  const found = (date: string | undefined, note?: string): DateReading => {
    if (date === undefined) return fail();
    return note === undefined ? { ok: true, date } : { ok: true, date, note };
  };

  let m = YEAR_ONLY.exec(value) ?? DECORATED_YEAR.exec(value);
  if (m) return yearOk(Number(m[1])) ? found(m[1]) : fail(`outside the years ${YEAR_RANGE.min}–${YEAR_RANGE.max}`);

  m = ISO.exec(value);
  if (m) {
    const [hour, minute, second] = [m[4], m[5], m[6]].map((x) => (x === undefined ? 0 : Number(x)));
    if (hour > 23 || minute > 59 || second > 59) return fail();
    const year = Number(m[1]);
    const month = Number(m[2]);
    // "2019-20" is a two-year span, not a twentieth month.
    if (m[3] === undefined && m[2].length === 2 && month > 12 && month === (year + 1) % 100) {
      return found(compose(year), `read '${shorten(input)}' as ${year}`);
    }
    return found(compose(year, month, m[3] === undefined ? undefined : Number(m[3])));
  }

  m = COMPACT.exec(value);
  if (m) return found(compose(Number(m[1]), Number(m[2]), Number(m[3])));

  m = YEAR_RANGE_FORM.exec(value);
  if (m) {
    const start = Number(m[1]);
    const endText = m[2];
    const end = endText.length === 2 ? Math.floor(start / 100) * 100 + Number(endText) : Number(endText);
    // "2019/20", "2019-2020", "2010/11": a span starting in the first year ("2019/06" is June, below).
    if (end > start && end - start <= 10 && (endText.length === 4 || Number(endText) > 12 || end === start + 1)) {
      return found(compose(start), `read '${shorten(input)}' as ${start}`);
    }
  }

  m = YMD_SEPARATED.exec(value);
  if (m) return found(compose(Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])));

  m = MONTH_YEAR_NUMERIC.exec(value);
  if (m) return found(compose(Number(m[2]), Number(m[1])));

  m = DAY_MONTH_YEAR_NUMERIC.exec(value);
  if (m) {
    const [a, b, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (a > 12 && b <= 12) return found(compose(year, b, a));
    if (b > 12 && a <= 12) return found(compose(year, a, b));
    if (a === b) return found(compose(year, a, b));
    return found(compose(year), `read '${shorten(input)}' as ${year}: day and month are ambiguous`);
  }

  m = WORDY.exec(value);
  if (m) {
    const month = MONTHS[m[2]];
    const day = m[1] ?? m[3];
    if (month !== undefined && !(m[1] && m[3])) return found(compose(Number(m[4]), month, day === undefined ? undefined : Number(day)));
  }

  // Last resort: free text with one plausible year in it ("Spring 2019", "Published 2019 (2nd ed.)").
  const years = new Set(Array.from(value.matchAll(ANY_YEAR), (x) => x[1]));
  if (years.size === 1 && /[a-z]/.test(value)) {
    const [year] = years;
    return found(year, `read '${shorten(input)}' as ${year}`);
  }
  return fail();
}

function shorten(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}
