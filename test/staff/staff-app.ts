/**
 * A real Corridor app with the staff area mounted, over a real SQLite index and a real
 * operations.sqlite in a temporary data directory. The job is injected, so tests decide when a
 * run ends; passwords are hashed at a lower (still accepted) scrypt cost to keep tests quick.
 */
import type express from 'express';
import pino from 'pino';
import request from 'supertest';
import { JobRunner, type JobFunction } from '../../src/jobs/job-runner';
import { openOperationsStore, type OperationsStore } from '../../src/backends/sqlite/operations-store';
import { SqliteSessionStore } from '../../src/backends/sqlite/sqlite-session-store';
import { staffRouter } from '../../src/web/staff';
import { StaffAccounts } from '../../src/web/staff/accounts';
import type { SignInLimit } from '../../src/web/staff/auth';
import type { SourcesListing } from '../../src/web/staff/console';
import { hashPassword } from '../../src/web/staff/passwords';
import { buildTestApp, type TestApp } from '../support/test-app';
import { okResult } from '../jobs/helpers';

export const PASSWORD = 'correct horse battery staple';
export const SECRET = 'test-secret-test-secret-test-secret-0123';
const FAST = { N: 2 ** 14, r: 8, p: 1 };

let cachedAccounts: Promise<string> | undefined;
/** "amina:<hash> ben:<hash>", hashed once per test file. */
export function accountsText(): Promise<string> {
  cachedAccounts ??= Promise.all([hashPassword(PASSWORD, FAST), hashPassword(`${PASSWORD}!`, FAST)]).then(
    ([a, b]) => `amina:${a}, ben:${b}`,
  );
  return cachedAccounts;
}

export interface StaffTestApp extends TestApp {
  store: OperationsStore;
  runner: JobRunner;
  logs: Record<string, unknown>[];
}

export async function buildStaffApp(options: {
  job?: JobFunction;
  accounts?: string;
  signInLimit?: SignInLimit;
  trustProxy?: boolean;
  sources?: SourcesListing;
  /** Another app's data directory: this one then shares its operations.sqlite (a second web process). */
  operationsDir?: string;
} = {}): Promise<StaffTestApp> {
  const logs: Record<string, unknown>[] = [];
  // Keeps what the staff area logs, to check that actions are logged with who did them.
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  let store: OperationsStore | undefined;
  let runner: JobRunner | undefined;
  let sessions: SqliteSessionStore | undefined;
  let engineStatus: TestApp['search'] | undefined;
  const accounts = StaffAccounts.parse(options.accounts ?? (await accountsText()));
  const app = await buildTestApp({
    extra: {
      logger,
      config: { siteName: 'Corridor', trustProxy: options.trustProxy ?? false },
      extraRouters: [
        staffRouter({
          accounts,
          sessionSecret: SECRET,
          get runner() {
            return runner!;
          },
          get history() {
            return store!.history;
          },
          get sessions() {
            return sessions!;
          },
          indexStatus: () => engineStatus!.status(),
          listSources: async () =>
            options.sources ?? { file: 'sources.json', sources: [{ id: 'src-a', kind: 'file', location: 'data/a.ndjson' }, { id: 'never', kind: 'rss', location: 'https://example.org/feed' }] },
          schedule: { enabled: true, cron: '0 2 * * *', timezone: 'UTC', mode: 'full', nextRun: () => new Date(Date.UTC(2030, 0, 1, 2)) },
          timeZone: 'UTC',
          logger,
          signInLimit: options.signInLimit,
        }),
      ],
    },
  });
  store = openOperationsStore(options.operationsDir ?? app.dataDir);
  sessions = new SqliteSessionStore(store.db);
  runner = new JobRunner({ leases: store.leases, history: store.history, job: options.job ?? (async () => okResult()), ttlMs: 5000, progressWriteMs: 0 });
  engineStatus = app.search;
  const close = app.close;
  return {
    ...app,
    store,
    runner,
    logs,
    async close() {
      await runner!.shutdown();
      store!.close();
      await close();
    },
  };
}

/** The CSRF token in a page's first form. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token in the page');
  return match[1]!;
}

/** A supertest agent (it keeps cookies) signed in as `name`. */
export async function signedIn(app: express.Application, name = 'amina', password = PASSWORD): Promise<{ agent: ReturnType<typeof request.agent>; csrf: string }> {
  const agent = request.agent(app);
  const page = await agent.get('/staff/sign-in').expect(200);
  await agent
    .post('/staff/sign-in')
    .type('form')
    .send({ _csrf: csrfOf(page.text), username: name, password })
    .expect(303)
    .expect('Location', '/staff');
  const consolePage = await agent.get('/staff').expect(200);
  return { agent, csrf: csrfOf(consolePage.text) };
}
