/**
 * Staff passwords: scrypt hashes in the form `scrypt$N$r$p$salt$key` (salt and key in base64),
 * created by `npm run corridor -- hash-password` and listed in CORRIDOR_STAFF_ACCOUNTS as
 * `name:hash` pairs. Plain-text passwords never appear in configuration.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export interface PasswordHash extends ScryptParams {
  salt: Buffer;
  key: Buffer;
}

/** ~100 ms and 32 MiB on a small server: slow for a guesser, quick enough for a sign-in. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds on what a configured hash may ask for: weak hashes are refused, and so are ones that would exhaust memory. */
const LIMITS = { minLogN: 14, maxLogN: 20, maxR: 32, maxP: 16 };
/** Passwords longer than this are refused before hashing (scrypt cost does not depend on it, but request bodies should stay small). */
export const MAX_PASSWORD_LENGTH = 1024;

export class PasswordHashFormatError extends Error {}

function scryptOptions(params: ScryptParams): crypto.ScryptOptions {
  // Node refuses when 128·N·r exceeds maxmem (32 MiB by default, exactly our default cost).
  return { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  if (password.length === 0) throw new Error('the password is empty');
  if (password.length > MAX_PASSWORD_LENGTH) throw new Error(`the password is longer than ${MAX_PASSWORD_LENGTH} characters`);
  const salt = crypto.randomBytes(SALT_BYTES);
  const key = await scrypt(password.normalize('NFC'), salt, KEY_BYTES, scryptOptions(params));
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export function parsePasswordHash(text: string): PasswordHash {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    throw new PasswordHashFormatError('expected scrypt$N$r$p$salt$key (create one with `npm run corridor -- hash-password`)');
  }
  const [, nText, rText, pText, saltText, keyText] = parts as [string, string, string, string, string, string];
  const [N, r, p] = [nText, rText, pText].map((t) => (/^\d{1,8}$/.test(t) ? Number(t) : NaN)) as [number, number, number];
  const logN = Math.log2(N);
  if (!Number.isInteger(logN) || logN < LIMITS.minLogN || logN > LIMITS.maxLogN) {
    throw new PasswordHashFormatError(`N must be a power of two from 2^${LIMITS.minLogN} to 2^${LIMITS.maxLogN}`);
  }
  if (!(r >= 1 && r <= LIMITS.maxR)) throw new PasswordHashFormatError(`r must be from 1 to ${LIMITS.maxR}`);
  if (!(p >= 1 && p <= LIMITS.maxP)) throw new PasswordHashFormatError(`p must be from 1 to ${LIMITS.maxP}`);
  if (!BASE64.test(saltText) || !BASE64.test(keyText)) throw new PasswordHashFormatError('salt and key must be base64');
  const salt = Buffer.from(saltText, 'base64');
  const key = Buffer.from(keyText, 'base64');
  if (salt.length < 8) throw new PasswordHashFormatError('the salt is shorter than 8 bytes');
  if (key.length < 16 || key.length > 128) throw new PasswordHashFormatError('the key must be 16 to 128 bytes');
  return { N, r, p, salt, key };
}

export async function verifyPassword(password: string, hash: PasswordHash): Promise<boolean> {
  if (password.length === 0 || password.length > MAX_PASSWORD_LENGTH) return false;
  const derived = await scrypt(password.normalize('NFC'), hash.salt, hash.key.length, scryptOptions(hash));
  // Constant-time: how much of a guess matched must not show in the response time.
  return derived.length === hash.key.length && crypto.timingSafeEqual(derived, hash.key);
}

/** Burns the same time as a real check, so a response does not reveal whether a name exists. */
let dummy: Promise<PasswordHash> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword(crypto.randomBytes(16).toString('hex')).then(parsePasswordHash);
  await verifyPassword(password || 'x', await dummy);
  return false;
}
