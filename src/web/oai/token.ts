/**
 * OAI-PMH resumption tokens: stateless and tamper-evident. A token carries everything needed to
 * continue a list (the arguments, a keyset cursor, how many records were sent, and the index
 * generation it belongs to), signed with HMAC-SHA256. The server keeps nothing between requests,
 * so any web process with the same key continues any harvest; a token edited by hand, or one from
 * a generation that is no longer live (the list would no longer be the same list), is refused as
 * badResumptionToken.
 */
import crypto from 'node:crypto';
import { z } from 'zod';

const tokenSchema = z.strictObject({
  v: z.literal(1),
  verb: z.enum(['ListRecords', 'ListIdentifiers']),
  prefix: z.string(),
  from: z.string().optional(),
  until: z.string().optional(),
  set: z.string().optional(),
  after: z.strictObject({ changed: z.string(), id: z.string() }),
  /** Records sent before the page this token asks for. */
  cursor: z.number().int().min(0),
  gen: z.string(),
});
export type ResumptionState = z.infer<typeof tokenSchema>;

const SIGNATURE_CHARS = 27;

export class TokenSigner {
  private readonly key: Buffer;

  constructor(secret: string | undefined) {
    this.key = secret ? crypto.createHash('sha256').update(secret).digest() : crypto.randomBytes(32);
  }

  private sign(payload: string): string {
    return crypto.createHmac('sha256', this.key).update(payload).digest('base64url').slice(0, SIGNATURE_CHARS);
  }

  encode(state: ResumptionState): string {
    const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The state, or undefined when the token is malformed or its signature does not match. */
  decode(token: string): ResumptionState | undefined {
    const m = /^([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{27})$/.exec(token);
    if (!m) return undefined;
    const expected = Buffer.from(this.sign(m[1]!));
    const given = Buffer.from(m[2]!);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return undefined;
    try {
      const parsed = tokenSchema.safeParse(JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
