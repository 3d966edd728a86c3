/**
 * The staff area, mounted at /staff by the composition root (AppDeps.extraRouters). Public
 * pages never pass through it, so they carry no session cookie, body parser or CSRF check.
 */
import express from 'express';
import type { MountedRouter } from '../app';
import { StaffAuth, type StaffAuthOptions } from './auth';
import { staffConsoleRouter, type StaffConsoleDeps } from './console';

export const STAFF_PATH = '/staff';

export type StaffDeps = StaffConsoleDeps & Omit<StaffAuthOptions, 'logger'>;

export function staffRouter(deps: StaffDeps): MountedRouter {
  const auth = new StaffAuth(deps);
  const router = express.Router();

  router.use((req, res, next) => {
    // Staff pages are personal and change by the second: never cached, never indexed.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    // Errors under /staff/api are JSON whatever the Accept header says (see wantsJson).
    if (req.path.startsWith('/api/')) res.locals.jsonErrors = true;
    next();
  });
  router.use(auth.loadSession);
  router.use(auth.routes());
  router.use(auth.requireStaff);
  // Bodies are parsed only for signed-in staff, then every POST must carry the CSRF token.
  router.use(express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 }), express.json({ limit: '8kb' }));
  // After requireStaff: an unauthenticated POST is sent to sign in, not told about tokens.
  router.use((req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? next() : auth.requireCsrf(req, res, next)));
  router.use(staffConsoleRouter(deps));
  return { path: STAFF_PATH, router };
}

export { StaffAccounts, StaffAccountsError } from './accounts';
