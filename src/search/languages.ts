/** Language codes Corridor knows (ISO 639-1) and their English names. Pure. */

/** Every ISO 639-1 code: what records may give as a language, and what a language filter may name. */
export const ISO_639_1: ReadonlySet<string> = new Set(
  (
    'aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy ' +
    'da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu ' +
    'hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb ' +
    'lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om ' +
    'or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ' +
    'ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu'
  ).split(' '),
);

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** Names already looked up (Intl is slow to ask): the ISO 639-1 codes only, so records cannot grow it. */
const knownNames = new Map<string, string>();

/** "ne" → "Nepali"; a code Intl does not know is shown as it is. */
export function languageLabel(code: string): string {
  const known = knownNames.get(code);
  if (known !== undefined) return known;
  let name: string;
  try {
    name = languageNames.of(code) ?? code;
  } catch {
    // Intl throws on codes that are not well-formed BCP 47; records are untrusted.
    return code;
  }
  if (ISO_639_1.has(code)) knownNames.set(code, name);
  return name;
}
