/**
 * Joint publishers and corporate authors → each organisation. Pure.
 *
 * Catalogues write co-publications as one string ("ILO and UN Women", "OSCE, IOM and ILO"), so
 * without splitting, ticking ILO in the publisher facet misses its co-publications. Splitting is
 * precision-first: "and" and commas are also part of names ("Ministry of Labour and Social
 * Welfare", "Asia Pacific Forum on Women, Law and Development", "Harkins, Benjamin"), so a
 * string is split only when every part looks like an organisation on its own: an acronym
 * ("ILO", "UN Women", "UN-Habitat") or a name with an organisational word ("Ministry of Labour",
 * "Human Rights Watch", "World Bank"). Anything else stays whole, as written.
 */

/** ";" always separates; "and", "&", "/", "," and "with" only between organisations. */
const HARD_SEPARATOR = /\s*;\s*/;
const SOFT_SEPARATOR = /\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&|with|et|y)\s+|\s*\/\s*/i;

/** First word an acronym: two or more capitals, maybe with digits or a hyphenated part ("UN-Habitat"). */
const ACRONYM_LED = /^(?:[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*|[A-Z]{2,}-[A-Za-z]+)(?:\s|$)/;
const ORGANISATION_WORD =
  /\b(?:organi[sz]ation|organi[sz]acion|organisme|institute|institut|instituto|office|ministry|ministerio|minist[eè]re|bank|foundation|fondation|fundaci[oó]n|agency|agence|commission|council|centre|center|centro|university|universit[yé]|universidad|network|union|association|programme|program|fund|secretariat|department|government|federation|alliance|forum|watch|international|group|committee|coalition|initiative|trust|society|partnership|observatory|project|service|services|authority|bureau|board|assembly|conference|division|unit|campaign|platform|institution|school|college|academy|consortium|council|unicef|unesco|unhcr)\b/i;
const MIN_PART_LETTERS = 2;

function looksLikeOrganisation(part: string): boolean {
  if ((part.match(/\p{L}/gu) ?? []).length < MIN_PART_LETTERS) return false;
  return ACRONYM_LED.test(part) || ORGANISATION_WORD.test(part);
}

/** The names in one publisher or author string, in the order written. */
export function splitNames(value: string): string[] {
  const out: string[] = [];
  for (const chunk of value.split(HARD_SEPARATOR)) {
    const whole = chunk.trim();
    if (whole === '') continue;
    const parts = whole
      .split(SOFT_SEPARATOR)
      .map((p) => p.trim())
      .filter((p) => p !== '');
    const names = parts.length > 1 && parts.every(looksLikeOrganisation) ? parts : [whole];
    for (const name of names) if (!out.some((o) => o.toLowerCase() === name.toLowerCase())) out.push(name);
  }
  return out;
}
