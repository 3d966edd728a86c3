/**
 * Where signed-in staff sessions live: on the server, so that signing out ends a session for good
 * (a copy of the cookie taken before is worthless afterwards), staff can end all their sessions,
 * and every web process of one deployment agrees on which sessions exist. The cookie carries only
 * the session's random id, signed (session.ts); the record here says whose it is and until when.
 *
 * A port: the embedded deployment keeps sessions in operations.sqlite beside the run history
 * (src/backends/sqlite/sqlite-session-store.ts); with Elasticsearch they live in the cluster
 * (`<prefix>-sessions`, src/backends/elasticsearch/es-session-store.ts), so web processes on
 * several machines agree.
 */
export interface StaffSessionRecord {
  /** The random session id the cookie carries. */
  id: string;
  /** Account name, lower-case (names are matched without regard to case). */
  user: string;
  /** The account's password version at sign-in: a changed password ends the session. */
  passwordVersion: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionStore {
  create(session: StaffSessionRecord): Promise<void>;
  /** The session, or null when there is none with this id or it has expired. */
  find(id: string, now?: number): Promise<StaffSessionRecord | null>;
  delete(id: string): Promise<void>;
  /** Ends every session of an account ("sign out everywhere"); returns how many there were. */
  deleteUser(user: string): Promise<number>;
  /**
   * Ends the sessions of accounts that no longer exist or whose password changed, and expired
   * ones. `accounts`: lower-case name → current password version.
   */
  prune(accounts: ReadonlyMap<string, string>, now?: number): Promise<number>;
}
