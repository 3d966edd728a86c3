/**
 * Staff accounts from configuration: CORRIDOR_STAFF_ACCOUNTS holds `name:hash` pairs separated by
 * whitespace or commas. Names are matched without regard to case. Every problem in the list is
 * reported at start-up, with the entry's position, never its hash.
 */
import crypto from 'node:crypto';
import { parsePasswordHash, verifyAgainstDummy, verifyPassword, type PasswordHash } from './passwords';

export interface StaffAccount {
  /** As configured; shown in the console and written to the logs and run history. */
  name: string;
  hash: PasswordHash;
  /** Changes when the password does, so sessions signed before a password change stop working. */
  version: string;
}

export class StaffAccountsError extends Error {
  constructor(readonly problems: string[]) {
    super(`CORRIDOR_STAFF_ACCOUNTS is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'StaffAccountsError';
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export class StaffAccounts {
  private readonly byName: Map<string, StaffAccount>;

  constructor(accounts: StaffAccount[]) {
    this.byName = new Map(accounts.map((a) => [a.name.toLowerCase(), a]));
  }

  static parse(raw: string | undefined): StaffAccounts {
    const entries = (raw ?? '').split(/[\s,]+/).filter((e) => e !== '');
    const problems: string[] = [];
    const accounts: StaffAccount[] = [];
    const seen = new Set<string>();
    entries.forEach((entry, i) => {
      const where = `entry ${i + 1}`;
      const colon = entry.indexOf(':');
      if (colon <= 0) {
        problems.push(`${where}: expected name:hash`);
        return;
      }
      const name = entry.slice(0, colon);
      if (!NAME.test(name)) {
        problems.push(`${where}: the name "${name.slice(0, 64)}" may use letters, digits and . _ @ - (at most 64 characters)`);
        return;
      }
      if (seen.has(name.toLowerCase())) {
        problems.push(`${where}: "${name}" is listed twice`);
        return;
      }
      seen.add(name.toLowerCase());
      const hashText = entry.slice(colon + 1);
      try {
        const hash = parsePasswordHash(hashText);
        const version = crypto.createHash('sha256').update(hashText).digest('base64url').slice(0, 12);
        accounts.push({ name, hash, version });
      } catch (err) {
        problems.push(`${where} ("${name}"): ${(err as Error).message}`);
      }
    });
    if (problems.length > 0) throw new StaffAccountsError(problems);
    return new StaffAccounts(accounts);
  }

  get size(): number {
    return this.byName.size;
  }

  /** Lower-case name → password version, for pruning sessions. */
  versions(): ReadonlyMap<string, string> {
    return new Map([...this.byName].map(([name, account]) => [name, account.version]));
  }

  find(name: string): StaffAccount | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The account when the name and password match; the same time is spent when the name is unknown. */
  async verify(name: string, password: string): Promise<StaffAccount | null> {
    const account = this.find(name);
    if (!account) return verifyAgainstDummy(password).then(() => null);
    return (await verifyPassword(password, account.hash)) ? account : null;
  }
}
