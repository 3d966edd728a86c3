/**
 * Staff sessions in `<dataDir>/operations.sqlite`, beside the lease and the run history: every
 * web process using this data directory sees the same sessions, so a sign-out in one is a
 * sign-out in all. The table is created here (IF NOT EXISTS), so the store needs nothing from the
 * operations file's migrations.
 */
import type { SessionStore, StaffSessionRecord } from '../../jobs/session-store';
import type { OperationsDb } from './operations-db';

interface SessionRow {
  id: string;
  user: string;
  password_version: string;
  created_at: number;
  expires_at: number;
}

export class SqliteSessionStore implements SessionStore {
  private readonly stmt;

  constructor(db: OperationsDb) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS staff_sessions (
        id               TEXT PRIMARY KEY,
        user             TEXT NOT NULL,
        password_version TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        expires_at       INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS staff_sessions_by_user ON staff_sessions (user);
    `);
    this.stmt = {
      insert: db.prepare(
        'INSERT INTO staff_sessions (id, user, password_version, created_at, expires_at) VALUES (@id, @user, @passwordVersion, @createdAt, @expiresAt)',
      ),
      find: db.prepare<[string, number], SessionRow>('SELECT * FROM staff_sessions WHERE id = ? AND expires_at > ?'),
      delete: db.prepare('DELETE FROM staff_sessions WHERE id = ?'),
      deleteUser: db.prepare('DELETE FROM staff_sessions WHERE user = ?'),
      all: db.prepare<[], Pick<SessionRow, 'id' | 'user' | 'password_version' | 'expires_at'>>(
        'SELECT id, user, password_version, expires_at FROM staff_sessions',
      ),
    };
  }

  async create(session: StaffSessionRecord): Promise<void> {
    this.stmt.insert.run(session);
  }

  async find(id: string, now = Date.now()): Promise<StaffSessionRecord | null> {
    const row = this.stmt.find.get(id, now);
    return row === undefined ?
        null
      : { id: row.id, user: row.user, passwordVersion: row.password_version, createdAt: row.created_at, expiresAt: row.expires_at };
  }

  async delete(id: string): Promise<void> {
    this.stmt.delete.run(id);
  }

  async deleteUser(user: string): Promise<number> {
    return this.stmt.deleteUser.run(user.toLowerCase()).changes;
  }

  async prune(accounts: ReadonlyMap<string, string>, now = Date.now()): Promise<number> {
    let removed = 0;
    for (const row of this.stmt.all.all()) {
      if (row.expires_at <= now || accounts.get(row.user) !== row.password_version) removed += this.stmt.delete.run(row.id).changes;
    }
    return removed;
  }
}
