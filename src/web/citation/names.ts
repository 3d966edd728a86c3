/**
 * Author strings → citation names. Pure.
 *
 * Reference managers split personal names into family and given names, and print a corporate
 * name as written. Splitting "International Labour Organization" into a given name
 * "International Labour" and a family name "Organization" is the classic export bug, so a name is
 * only split when it is written the way catalogues write people: "Family, Given" (both parts free
 * of organisational words), or with leading initials ("B. Harkins"). Everything else — "Amnesty
 * International", "ILO", "Save the Children", and also "Benjamin Harkins" — is kept whole: a whole
 * personal name still prints correctly, a split organisation never does.
 */
export type CitationName = { family: string; given: string } | { literal: string };

const ORGANISATION =
  /\b(?:organi[sz]ation|organi[sz]aci[oó]n|institute|institut|instituto|office|ministry|ministerio|minist[eè]re|bank|foundation|fondation|fundaci[oó]n|agency|agence|commission|council|centre|center|centro|university|universit[yé]|universidad|network|union|association|programme|program|fund|secretariat|department|government|federation|alliance|forum|watch|international|group|committee|coalition|initiative|trust|society|partnership|observatory|project|services?|authority|bureau|board|assembly|conference|division|unit|campaign|platform|institution|school|college|academy|consortium|nations|inc|ltd|llc|gmbh)\b/i;
/** Two or more capitals: an acronym ("ILO", "UN Women", "IOM"). */
const ACRONYM = /\b\p{Lu}{2,}\b/u;
const WORD = /^[\p{L}\p{M}'’.-]+$/u;
const INITIALS_FIRST = /^((?:\p{Lu}\.(?:\s*-?\s*\p{Lu}\.)*\s*)+)(\p{Lu}[\p{L}\p{M}'’-]+(?:\s+\p{Lu}[\p{L}\p{M}'’-]+)?)$/u;

function organisational(text: string): boolean {
  return ORGANISATION.test(text) || ACRONYM.test(text);
}

function namePart(text: string): boolean {
  const words = text.trim().split(/\s+/);
  return words.length >= 1 && words.length <= 4 && words.every((w) => WORD.test(w));
}

export function citationName(author: string): CitationName {
  const name = author.trim();
  if (organisational(name)) return { literal: name };
  const comma = /^([^,]+),\s*([^,]+)$/.exec(name);
  if (comma && namePart(comma[1]!) && namePart(comma[2]!)) return { family: comma[1]!.trim(), given: comma[2]!.trim() };
  const initials = INITIALS_FIRST.exec(name);
  if (initials) return { family: initials[2]!.trim(), given: initials[1]!.trim() };
  return { literal: name };
}
