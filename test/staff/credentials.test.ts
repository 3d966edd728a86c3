/** Password hashes, the accounts list and signed sessions, without HTTP. */
import { StaffAccounts, StaffAccountsError } from '../../src/web/staff/accounts';
import { hashPassword, parsePasswordHash, verifyPassword } from '../../src/web/staff/passwords';
import { checkCsrf, csrfToken, decodeSession, deriveKeys, encodeSession, newSession } from '../../src/web/staff/session';

const FAST = { N: 2 ** 14, r: 8, p: 1 };

test('a hash verifies its password and nothing else', async () => {
  const hash = await hashPassword('Çalışan göçü 2024', FAST);
  expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[^$]+\$[^$]+$/);
  const parsed = parsePasswordHash(hash);
  expect(await verifyPassword('Çalışan göçü 2024', parsed)).toBe(true);
  // Unicode normalisation: the same text typed as decomposed characters still matches.
  expect(await verifyPassword('Çalışan göçü 2024'.normalize('NFD'), parsed)).toBe(true);
  expect(await verifyPassword('Çalışan göçü 2025', parsed)).toBe(false);
  expect(await verifyPassword('', parsed)).toBe(false);
  // Salted: the same password hashes differently each time.
  expect(await hashPassword('Çalışan göçü 2024', FAST)).not.toBe(hash);
});

test('hashes that are malformed, too weak or too costly are refused', () => {
  expect(() => parsePasswordHash('plain-text-password')).toThrow(/scrypt\$N\$r\$p\$salt\$key/);
  expect(() => parsePasswordHash('scrypt$1024$8$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5')).toThrow(/N must be a power of two/);
  expect(() => parsePasswordHash('scrypt$16385$8$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5')).toThrow(/power of two/);
  expect(() => parsePasswordHash('scrypt$2097152$8$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5')).toThrow(/power of two/);
  expect(() => parsePasswordHash('scrypt$16384$99$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5')).toThrow(/r must be/);
  expect(() => parsePasswordHash('scrypt$16384$8$1$c2Fs$a2V5a2V5a2V5a2V5a2V5a2V5')).toThrow(/salt/);
});

test('the accounts list reports every problem by position, never echoing a hash', async () => {
  const good = await hashPassword('a good password', FAST);
  const secretLooking = 'scrypt$16384$8$1$c2FsdHNhbHQ=$c2VjcmV0';
  try {
    StaffAccounts.parse(`amina:${good}, nohash  ben:${secretLooking} amina:${good} bad name:${good}`);
    throw new Error('expected an error');
  } catch (err) {
    expect(err).toBeInstanceOf(StaffAccountsError);
    const problems = (err as StaffAccountsError).problems;
    expect(problems).toEqual([
      'entry 2: expected name:hash',
      expect.stringMatching(/^entry 3 \("ben"\): the key must be/),
      'entry 4: "amina" is listed twice',
      'entry 5: expected name:hash',
    ]);
    expect((err as Error).message).not.toContain('c2VjcmV0');
  }
  const accounts = StaffAccounts.parse(`  amina:${good},\n`);
  expect(accounts.size).toBe(1);
  expect(await accounts.verify('AMINA', 'a good password')).toMatchObject({ name: 'amina' });
  expect(await accounts.verify('nobody', 'a good password')).toBeNull();
  expect(StaffAccounts.parse(undefined).size).toBe(0);
});

test('sessions: signed, expiring, and each with its own CSRF token', () => {
  const keys = deriveKeys('s'.repeat(40));
  const session = newSession(60_000, { name: 'amina', version: 'v1' }, 1_000);
  const cookie = encodeSession(keys, session);
  expect(decodeSession(keys, cookie, 2_000)).toEqual(session);
  expect(decodeSession(keys, cookie, 61_000)).toBeNull(); // expired
  expect(decodeSession(deriveKeys('t'.repeat(40)), cookie, 2_000)).toBeNull(); // another secret
  const [v, payload, mac] = cookie.split('.');
  const tampered = Buffer.from(JSON.stringify({ ...session, user: 'ben' })).toString('base64url');
  expect(decodeSession(keys, `${v}.${tampered}.${mac}`, 2_000)).toBeNull();
  expect(decodeSession(keys, `${v}.${payload}`, 2_000)).toBeNull();

  const other = newSession(60_000);
  expect(csrfToken(keys, session)).not.toBe(csrfToken(keys, other));
  expect(checkCsrf(keys, session, csrfToken(keys, session))).toBe(true);
  expect(checkCsrf(keys, session, csrfToken(keys, other))).toBe(false);
  expect(checkCsrf(keys, null, csrfToken(keys, session))).toBe(false);
  expect(checkCsrf(keys, session, undefined)).toBe(false);
  // A CSRF token is no session signature, and the other way round (separate derived keys).
  expect(csrfToken(keys, session)).not.toBe(mac);
});
