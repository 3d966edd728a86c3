/**
 * Staff session cookies: `v1.<payload>.<mac>`, the payload base64url JSON, the mac an HMAC-SHA256
 * under a key derived from CORRIDOR_SESSION_SECRET. A signed-in session's id names a record in
 * the server-side session store (session-store.ts), which says whether it still exists: the
 * signature only proves the cookie was issued here, the store that it has not ended since.
 * A session names the account and the password version it was signed in with; removing the
 * account or changing its password ends its sessions.
 *
 * Every visitor of the staff pages gets a session, signed in or not: its random id anchors the
 * CSRF token, so the sign-in form is protected too (against signing a victim in as the attacker).
 */
import crypto from 'node:crypto';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'corridor_staff';
/** The cookie is sent only to the staff pages, never with public searches. */
export const COOKIE_PATH = '/staff';

export interface Session {
  /** Random per session; rotated on sign-in so a planted session id is worthless. */
  sid: string;
  /** Signed-in account name, absent before sign-in. */
  user?: string;
  /** Password version of the account at sign-in. */
  pv?: string;
  /** Issued and expiry times (ms since the epoch). */
  iat: number;
  exp: number;
}

export interface SessionKeys {
  session: Buffer;
  csrf: Buffer;
}

/** Separate keys for separate purposes, so a CSRF token can never pass for a session signature. */
export function deriveKeys(secret: string): SessionKeys {
  const derive = (purpose: string) => crypto.createHmac('sha256', secret).update(`corridor:${purpose}:v1`).digest();
  return { session: derive('session'), csrf: derive('csrf') };
}

function mac(key: Buffer, data: string): string {
  return crypto.createHmac('sha256', key).update(data).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function newSession(ttlMs: number, user?: { name: string; version: string }, now = Date.now()): Session {
  return { sid: crypto.randomBytes(18).toString('base64url'), user: user?.name, pv: user?.version, iat: now, exp: now + ttlMs };
}

export function encodeSession(keys: SessionKeys, session: Session): string {
  const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
  return `v1.${payload}.${mac(keys.session, `v1.${payload}`)}`;
}

/** The session when the cookie is intact and unexpired; null for anything else. */
export function decodeSession(keys: SessionKeys, value: string | undefined, now = Date.now()): Session | null {
  if (!value || value.length > 2048) return null;
  const parts = value.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1') return null;
  const [, payload, signature] = parts as [string, string, string];
  if (!safeEqual(signature, mac(keys.session, `v1.${payload}`))) return null;
  try {
    const s = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Session>;
    if (typeof s.sid !== 'string' || typeof s.iat !== 'number' || typeof s.exp !== 'number') return null;
    if (s.exp <= now) return null;
    return {
      sid: s.sid,
      user: typeof s.user === 'string' ? s.user : undefined,
      pv: typeof s.pv === 'string' ? s.pv : undefined,
      iat: s.iat,
      exp: s.exp,
    };
  } catch {
    return null;
  }
}

/** The synchronizer token of a session: forms carry it; a forged cross-site form cannot know it. */
export function csrfToken(keys: SessionKeys, session: Session): string {
  return mac(keys.csrf, session.sid);
}

export function checkCsrf(keys: SessionKeys, session: Session | null, token: unknown): boolean {
  return session !== null && typeof token === 'string' && token.length < 200 && safeEqual(token, csrfToken(keys, session));
}

/** Reads one cookie from the header (no cookie-parsing middleware needed for one cookie). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function writeSessionCookie(req: Request, res: Response, keys: SessionKeys, session: Session): void {
  res.cookie(SESSION_COOKIE, encodeSession(keys, session), {
    httpOnly: true,
    sameSite: 'lax',
    // req.secure is true for HTTPS, and behind a trusted proxy when it says the client used HTTPS.
    secure: req.secure,
    path: COOKIE_PATH,
    maxAge: Math.max(0, session.exp - Date.now()),
    // The value is already URL-safe; skip express's encodeURIComponent so it is sent as signed.
    encode: (v: string) => v,
  });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: COOKIE_PATH });
}
