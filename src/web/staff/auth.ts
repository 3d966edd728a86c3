/**
 * Staff sign-in, sign-out, sessions and CSRF checks.
 *
 * - Sessions: a signed cookie (session.ts), httpOnly, SameSite=Lax, Secure on HTTPS, carrying the
 *   id of a server-side session record (session-store.ts): signing out deletes the record, so
 *   the cookie is worthless afterwards, wherever a copy of it went.
 * - CSRF: every POST carries the session's synchronizer token (`_csrf` field or X-CSRF-Token
 *   header); SameSite=Lax alone would still let a same-site page post forms.
 * - Sign-in attempts are rate-limited per address and account name, and per address overall.
 * - Each staff action is logged with who, from where, and (by pino) when.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import { ipKeyGenerator, rateLimit, type Options as RateLimitOptions } from 'express-rate-limit';
import type { Logger } from 'pino';
import { HttpError, wantsJson } from '../errors';
import type { StaffAccounts } from './accounts';
import type { SessionStore } from '../../jobs/session-store';
import { MAX_PASSWORD_LENGTH } from './passwords';
import {
  checkCsrf,
  clearSessionCookie,
  csrfToken,
  decodeSession,
  deriveKeys,
  newSession,
  readCookie,
  SESSION_COOKIE,
  writeSessionCookie,
  type Session,
  type SessionKeys,
} from './session';

export interface SignInLimit {
  windowMs: number;
  /** Failed attempts per address and account name within the window. */
  perAccount: number;
  /** Failed attempts per address, whatever the names, within the window (password spraying). */
  perAddress: number;
}

export const DEFAULT_SIGN_IN_LIMIT: SignInLimit = { windowMs: 15 * 60 * 1000, perAccount: 5, perAddress: 30 };
/** A working day; after that staff sign in again. */
export const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** Sessions of visitors who have not signed in only carry the sign-in form's CSRF token. */
const ANONYMOUS_SESSION_TTL_MS = 2 * 60 * 60 * 1000;

export interface StaffAuthOptions {
  accounts: StaffAccounts;
  /** Signed-in sessions, shared by every web process of the deployment. */
  sessions: SessionStore;
  sessionSecret?: string;
  sessionTtlMs?: number;
  signInLimit?: SignInLimit;
  logger: Logger;
}

/** What the auth middleware leaves in res.locals for the routes and templates. */
export interface StaffLocals {
  staffSession: Session | null;
  /** The signed-in account's name. */
  staffUser?: string;
  csrfToken?: string;
}

export function staffLocals(res: Response): StaffLocals {
  return res.locals as StaffLocals;
}

/** Only a path on this site: no scheme, no "//host", no backslashes a browser would turn into "/". */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 500) return undefined;
  if (!next.startsWith('/') || next.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(next)) return undefined;
  return next;
}

export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

export class StaffAuth {
  readonly keys: SessionKeys | null;
  readonly accounts: StaffAccounts;
  private readonly ttlMs: number;
  private readonly limit: SignInLimit;
  private readonly logger: Logger;
  private pruned: Promise<void> | undefined;

  constructor(private readonly options: StaffAuthOptions) {
    this.accounts = options.accounts;
    if (options.accounts.size > 0 && !options.sessionSecret) {
      throw new Error('CORRIDOR_SESSION_SECRET is required when staff accounts are configured');
    }
    // Without accounts nobody can sign in, and no cookie needs signing.
    this.keys = options.sessionSecret && options.accounts.size > 0 ? deriveKeys(options.sessionSecret) : null;
    this.ttlMs = options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
    this.limit = options.signInLimit ?? DEFAULT_SIGN_IN_LIMIT;
    this.logger = options.logger;
  }

  get enabled(): boolean {
    return this.keys !== null;
  }

  /** Read lazily: the store may be wired after the router is built. */
  private get sessions(): SessionStore {
    return this.options.sessions;
  }

  /**
   * Once per process: sessions of accounts removed from CORRIDOR_STAFF_ACCOUNTS, or signed in
   * with a password since changed there, end here (and so in every process), as do expired ones.
   */
  private pruneOnce(): Promise<void> {
    this.pruned ??= this.sessions.prune(this.accounts.versions()).then((removed) => {
      if (removed > 0) this.logger.info({ action: 'prune-sessions', sessions: removed }, 'staff sessions of changed or removed accounts, or expired, were ended');
    });
    return this.pruned;
  }

  /**
   * Reads the session cookie. A signed-in session counts only while its server-side record
   * exists (not signed out, not expired) and its account and password are unchanged.
   */
  readonly loadSession: RequestHandler = async (req, res, next) => {
    const locals = staffLocals(res);
    locals.staffSession = null;
    if (this.keys) {
      await this.pruneOnce();
      const session = decodeSession(this.keys, readCookie(req, SESSION_COOKIE));
      if (session?.user) {
        const account = this.accounts.find(session.user);
        const record = account ? await this.sessions.find(session.sid) : null;
        if (account && record && record.user === account.name.toLowerCase() && record.passwordVersion === account.version && session.pv === account.version) {
          locals.staffSession = session;
          locals.staffUser = account.name;
        } else if (record) {
          // The password changed (or the account went) since: the session ends for every process.
          await this.sessions.delete(session.sid);
        }
      } else if (session) {
        locals.staffSession = session;
      }
      if (locals.staffSession) locals.csrfToken = csrfToken(this.keys, locals.staffSession);
    }
    next();
  };

  /** A session for the forms on this page, created (anonymous) when the visitor has none. */
  ensureSession(req: Request, res: Response): string | undefined {
    const locals = staffLocals(res);
    if (!this.keys) return undefined;
    if (!locals.staffSession) {
      locals.staffSession = newSession(ANONYMOUS_SESSION_TTL_MS);
      writeSessionCookie(req, res, this.keys, locals.staffSession);
      locals.csrfToken = csrfToken(this.keys, locals.staffSession);
    }
    return locals.csrfToken;
  }

  /** Staff pages: redirect to sign-in (pages) or 401 (JSON clients and /staff/api). */
  readonly requireStaff: RequestHandler = (req, res, next) => {
    if (staffLocals(res).staffUser) {
      next();
      return;
    }
    if (wantsJson(req)) {
      next(new HttpError(401, this.enabled ? 'Sign in as staff to use this endpoint.' : 'Staff sign-in is not set up: no staff accounts are configured.'));
      return;
    }
    // After sign-in, come back here; a form post comes back to the page it was on, as a GET.
    const back = req.method === 'GET' ? safeNext(req.originalUrl) : '/staff';
    res.redirect(303, `/staff/sign-in${back && back !== '/staff' ? `?next=${encodeURIComponent(back)}` : ''}`);
  };

  /** Every state-changing request: the token must match the session's. */
  readonly requireCsrf: RequestHandler = (req, res, next) => {
    const body = req.body as Record<string, unknown> | undefined;
    const token = body?._csrf ?? req.get('x-csrf-token');
    if (this.keys && checkCsrf(this.keys, staffLocals(res).staffSession, token)) {
      next();
      return;
    }
    this.logger.warn({ staff: staffLocals(res).staffUser, action: `${req.method} ${req.originalUrl}`, ip: clientAddress(req) }, 'staff request refused: missing or wrong CSRF token');
    next(
      new HttpError(403, 'This form has expired or did not come from this site, so it was not accepted. Reload the page and try again.'),
    );
  };

  /** POST /sign-in, POST /sign-out and GET /sign-in, mounted on the staff router. */
  routes(): express.Router {
    const router = express.Router();
    const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });

    router.get('/sign-in', (req, res) => {
      const next = safeNext(req.query.next);
      if (staffLocals(res).staffUser) {
        res.redirect(303, next ?? '/staff');
        return;
      }
      const notice =
        req.query.signedOut === 'everywhere' ? 'You have signed out on every device.'
        : req.query.signedOut === '1' ? 'You have signed out.'
        : undefined;
      this.renderSignIn(req, res, 200, { next, notice });
    });

    router.post(
      '/sign-in',
      form,
      (req, res, next) => {
        if (!this.enabled) {
          this.renderSignIn(req, res, 403, {});
          return;
        }
        // A stale form (expired anonymous session) gets a fresh one rather than a dead end.
        const token = (req.body as Record<string, unknown> | undefined)?._csrf;
        if (!this.keys || !checkCsrf(this.keys, staffLocals(res).staffSession, token)) {
          this.logger.warn({ action: 'sign-in', outcome: 'csrf', ip: clientAddress(req) }, 'staff sign-in refused: missing or wrong CSRF token');
          staffLocals(res).staffSession = null;
          this.renderSignIn(req, res, 403, {
            next: safeNext((req.body as Record<string, unknown> | undefined)?.next),
            error: 'The sign-in form had expired or did not come from this site. Please sign in again.',
          });
          return;
        }
        next();
      },
      this.limiter(this.limit.perAddress, (req) => ipKeyGenerator(clientAddress(req))),
      this.limiter(this.limit.perAccount, (req) => `${ipKeyGenerator(clientAddress(req))}|${this.usernameOf(req).toLowerCase()}`),
      async (req, res) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const username = this.usernameOf(req);
        const password = typeof body.password === 'string' ? body.password : '';
        const next = safeNext(body.next);
        const account = username && password.length <= MAX_PASSWORD_LENGTH ? await this.accounts.verify(username, password) : null;
        if (!account || !this.keys) {
          this.logger.warn({ action: 'sign-in', outcome: 'failed', username: username.slice(0, 64), ip: clientAddress(req) }, 'staff sign-in failed');
          this.renderSignIn(req, res, 401, { next, username, error: 'The name or the password is not right.' });
          return;
        }
        // A new session id at sign-in: a session planted before sign-in is worthless after it.
        const session = newSession(this.ttlMs, account);
        await this.sessions.create({
          id: session.sid,
          user: account.name.toLowerCase(),
          passwordVersion: account.version,
          createdAt: session.iat,
          expiresAt: session.exp,
        });
        writeSessionCookie(req, res, this.keys, session);
        this.logger.info({ staff: account.name, action: 'sign-in', outcome: 'ok', ip: clientAddress(req) }, 'staff signed in');
        res.redirect(303, next ?? '/staff');
      },
    );

    router.post('/sign-out', form, (req, res, next) => {
      if (!staffLocals(res).staffSession) {
        res.redirect(303, '/staff/sign-in');
        return;
      }
      this.requireCsrf(req, res, (err?: unknown) => {
        if (err) {
          next(err);
          return;
        }
        const session = staffLocals(res).staffSession;
        void (session?.user ? this.sessions.delete(session.sid) : Promise.resolve()).then(() => {
          this.logger.info({ staff: staffLocals(res).staffUser, action: 'sign-out', ip: clientAddress(req) }, 'staff signed out');
          clearSessionCookie(req, res);
          res.redirect(303, '/staff/sign-in?signedOut=1');
        }, next);
      });
    });

    // Every session of the signed-in account, on every device and in every web process.
    router.post('/sign-out-everywhere', form, (req, res, next) => {
      const user = staffLocals(res).staffUser;
      if (!user) {
        res.redirect(303, '/staff/sign-in');
        return;
      }
      this.requireCsrf(req, res, (err?: unknown) => {
        if (err) {
          next(err);
          return;
        }
        this.sessions.deleteUser(user).then((ended) => {
          this.logger.info({ staff: user, action: 'sign-out-everywhere', sessions: ended, ip: clientAddress(req) }, 'staff signed out everywhere');
          clearSessionCookie(req, res);
          res.redirect(303, '/staff/sign-in?signedOut=everywhere');
        }, next);
      });
    });
    return router;
  }

  private usernameOf(req: Request): string {
    const value = (req.body as Record<string, unknown> | undefined)?.username;
    return typeof value === 'string' ? value.trim().slice(0, 200) : '';
  }

  private limiter(limit: number, key: (req: Request) => string): RequestHandler {
    const options: Partial<RateLimitOptions> = {
      windowMs: this.limit.windowMs,
      limit,
      keyGenerator: key,
      // Only failed attempts count: a 303 after a good password is < 400 and is not counted.
      skipSuccessfulRequests: true,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (req: Request, res: Response, _next: NextFunction) => {
        const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + this.limit.windowMs) - Date.now()) / 1000));
        const minutes = Math.ceil(seconds / 60);
        res.setHeader('Retry-After', String(seconds));
        this.logger.warn(
          { action: 'sign-in', outcome: 'rate-limited', username: this.usernameOf(req).slice(0, 64), ip: clientAddress(req) },
          'staff sign-in refused: too many attempts',
        );
        this.renderSignIn(req, res, 429, {
          next: safeNext((req.body as Record<string, unknown> | undefined)?.next),
          username: this.usernameOf(req),
          error: `Too many failed sign-in attempts. For your security, signing in is paused for this account from your address; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
          rateLimited: true,
        });
      },
    };
    return rateLimit(options);
  }

  private renderSignIn(
    req: Request,
    res: Response,
    status: number,
    view: { next?: string; username?: string; error?: string; notice?: string; rateLimited?: boolean },
  ): void {
    const csrf = this.ensureSession(req, res);
    res.status(status).render('staff/sign-in', {
      documentTitle: `Staff sign-in – ${String(req.app.locals.siteName ?? 'Corridor')}`,
      accountsConfigured: this.enabled,
      csrfToken: csrf,
      next: view.next,
      username: view.username ?? '',
      error: view.error,
      notice: view.notice,
      rateLimited: view.rateLimited === true,
    });
  }
}
