/**
 * The staff console's pages and JSON endpoints: index status, configured sources with their
 * latest figures, the "Reindex now" / "Ingest changes" triggers, the running job's progress,
 * and the run history. Everything here is behind requireStaff and, for POSTs, the CSRF check
 * (see index.ts), which also parses the bodies.
 */
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { AlreadyRunningError, RunnerClosedError, type JobRunner } from '../../jobs/job-runner';
import type { RunHistory, RunMode } from '../../jobs/run-history';
import type { IndexStatus } from '../../search/types';
import { BadRequestError, HttpError, NotFoundError, ServiceUnavailableError } from '../errors';
import { clientAddress, staffLocals } from './auth';
import { liveRunJson, runSummaryJson, templateHelpers, type LiveRunJson, type RunSummaryJson } from './view-models';

export interface ConfiguredSource {
  id: string;
  /** A human name from the sources file, when it gives one. */
  label?: string;
  kind: string;
  /** A path or URL, as given in the sources file. */
  location: string;
}

export interface SourcesListing {
  file: string;
  sources: ConfiguredSource[];
  /** Why the sources file could not be read (missing, invalid); the console says so. */
  error?: string;
}

export interface ScheduleInfo {
  enabled: boolean;
  cron: string;
  timezone: string;
  mode: RunMode;
  nextRun(): Date | null;
}

export interface StaffConsoleDeps {
  runner: JobRunner;
  history: Pick<RunHistory, 'list' | 'get' | 'rejections' | 'lastPerSource'>;
  indexStatus(): Promise<IndexStatus>;
  listSources(): Promise<SourcesListing>;
  schedule?: ScheduleInfo;
  /** Dates on staff pages are shown in this time zone. */
  timeZone: string;
  logger: Logger;
}

export interface CurrentJobJson {
  running: boolean;
  run: LiveRunJson | null;
  /** The newest finished run, so a page that watched a run can say how it ended. */
  last: RunSummaryJson | null;
}

const RUNS_PER_PAGE = 25;
const RECENT_RUNS = 5;
/** No-JavaScript pages reload this often while a run is in progress. */
const REFRESH_SECONDS = 5;
const MODES: RunMode[] = ['full', 'incremental'];

function parseMode(value: unknown): RunMode {
  if (typeof value === 'string' && (MODES as string[]).includes(value)) return value as RunMode;
  throw new BadRequestError([{ param: 'mode', message: 'mode must be "full" (reindex) or "incremental" (changes only)' }]);
}

function parsePage(value: unknown): number {
  if (value === undefined) return 1;
  const n = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1)) throw new BadRequestError([{ param: 'page', message: 'page must be a whole number from 1' }]);
  return n;
}

function runIdParam(value: string): string {
  if (value.length > 200) throw new NotFoundError('There is no run with this id.');
  return value;
}

export function staffConsoleRouter(deps: StaffConsoleDeps): express.Router {
  const router = express.Router();
  const helpers = templateHelpers(deps.timeZone);

  async function currentJob(): Promise<CurrentJobJson> {
    const live = await deps.runner.currentAnywhere();
    const last = (await deps.history.list({ limit: RECENT_RUNS })).runs.find((r) => r.outcome !== 'running');
    return {
      running: live !== null,
      run: live ? liveRunJson(live, helpers.formatDate) : null,
      last: last ? runSummaryJson(last, helpers.formatDate) : null,
    };
  }

  /** Starts a run for the signed-in staff member; AlreadyRunningError passes through. */
  async function trigger(req: Request, res: Response, mode: RunMode): Promise<string> {
    const staff = staffLocals(res).staffUser ?? 'unknown';
    try {
      const { runId } = await deps.runner.start(`staff:${staff}`, mode);
      deps.logger.info({ staff, action: 'trigger-run', mode, runId, ip: clientAddress(req) }, 'staff started an ingest run');
      return runId;
    } catch (err) {
      if (err instanceof AlreadyRunningError) {
        deps.logger.info({ staff, action: 'trigger-run', mode, outcome: 'already-running', ip: clientAddress(req) }, err.message);
      }
      if (err instanceof RunnerClosedError) throw new ServiceUnavailableError('The server is shutting down; start the run again in a minute.');
      throw err;
    }
  }

  async function renderConsole(res: Response, status: number, messages: { notice?: string; alert?: string }): Promise<void> {
    const [indexStatus, sources, job] = await Promise.all([
      deps.indexStatus().then(
        (s) => ({ ok: true as const, ...s }),
        (err: unknown) => {
          deps.logger.warn({ err }, 'index status unavailable');
          return { ok: false as const };
        },
      ),
      deps.listSources(),
      currentJob(),
    ]);
    const lastPerSource = await deps.history.lastPerSource();
    // The history has a running run's figures as of its last write (once a second); show the live ones.
    const recentRuns = (await deps.history.list({ limit: RECENT_RUNS })).runs.map((r) =>
      job.run && r.id === job.run.id ? { ...r, counts: job.run.counts } : r,
    );
    res.status(status).render('staff/console', {
      ...helpers,
      documentTitle: `Staff console – ${String(res.app.locals.siteName ?? 'Corridor')}`,
      staffUser: staffLocals(res).staffUser,
      csrfToken: staffLocals(res).csrfToken,
      current: 'console',
      refreshSeconds: job.running ? REFRESH_SECONDS : undefined,
      indexStatus,
      sources,
      lastPerSource,
      job,
      recentRuns,
      schedule: deps.schedule ? { ...deps.schedule, next: deps.schedule.nextRun() } : undefined,
      notice: messages.notice,
      alert: messages.alert,
    });
  }

  router.get('/', async (req, res) => {
    const started = typeof req.query.started === 'string' && req.query.started.length < 100 ? req.query.started : undefined;
    await renderConsole(res, 200, { notice: started ? `Run ${started} has started. Its progress shows below.` : undefined });
  });

  router.post('/jobs', async (req, res) => {
    const mode = parseMode((req.body as Record<string, unknown> | undefined)?.mode);
    try {
      const runId = await trigger(req, res, mode);
      res.redirect(303, `/staff?started=${encodeURIComponent(runId)}#job`);
    } catch (err) {
      if (!(err instanceof AlreadyRunningError)) throw err;
      // The page a staff member is on, with the reason; 409 says the same to scripts.
      await renderConsole(res, 409, { alert: `Not started: ${err.message}` });
    }
  });

  router.get('/runs', async (req, res) => {
    const page = parsePage(req.query.page);
    const { runs, total } = await deps.history.list({ limit: RUNS_PER_PAGE, offset: (page - 1) * RUNS_PER_PAGE });
    const pages = Math.max(1, Math.ceil(total / RUNS_PER_PAGE));
    if (page > pages) throw new NotFoundError(`There are only ${pages} pages of runs.`);
    res.render('staff/runs', {
      ...helpers,
      documentTitle: `Run history – ${String(res.app.locals.siteName ?? 'Corridor')}`,
      staffUser: staffLocals(res).staffUser,
      csrfToken: staffLocals(res).csrfToken,
      current: 'runs',
      runs,
      total,
      page,
      pages,
      refreshSeconds: runs.some((r) => r.outcome === 'running') ? REFRESH_SECONDS : undefined,
    });
  });

  router.get('/runs/:id', async (req, res) => {
    const run = await deps.history.get(runIdParam(req.params.id));
    if (!run) throw new NotFoundError('There is no run with this id. Old runs are removed from the history after a while.');
    res.render('staff/run', {
      ...helpers,
      documentTitle: `Run ${run.id} – ${String(res.app.locals.siteName ?? 'Corridor')}`,
      staffUser: staffLocals(res).staffUser,
      csrfToken: staffLocals(res).csrfToken,
      current: 'runs',
      run,
      rejections: await deps.history.rejections(run.id),
      refreshSeconds: run.outcome === 'running' ? REFRESH_SECONDS : undefined,
    });
  });

  // JSON: the same, for the progress script and for scripts run by staff.

  router.get('/api/session', (_req, res) => {
    res.json({ user: staffLocals(res).staffUser, csrfToken: staffLocals(res).csrfToken });
  });

  router.get('/api/jobs/current', async (_req, res) => {
    res.json(await currentJob());
  });

  router.post('/api/jobs', async (req, res) => {
    const mode = parseMode((req.body as Record<string, unknown> | undefined)?.mode ?? 'full');
    try {
      const runId = await trigger(req, res, mode);
      res.status(202).location(`/staff/api/runs/${encodeURIComponent(runId)}`).json({ runId, url: `/staff/runs/${encodeURIComponent(runId)}` });
    } catch (err) {
      if (err instanceof AlreadyRunningError) throw new HttpError(409, err.message, { cause: err });
      throw err;
    }
  });

  router.get('/api/runs', async (req, res) => {
    const page = parsePage(req.query.page);
    const { runs, total } = await deps.history.list({ limit: RUNS_PER_PAGE, offset: (page - 1) * RUNS_PER_PAGE });
    res.json({ total, page, runs: runs.map((r) => runSummaryJson(r, helpers.formatDate)) });
  });

  router.get('/api/runs/:id', async (req, res) => {
    const run = await deps.history.get(runIdParam(req.params.id));
    if (!run) throw new NotFoundError('There is no run with this id.');
    res.json({ run: { ...runSummaryJson(run, helpers.formatDate), sources: run.sources, notes: run.notes }, rejections: await deps.history.rejections(run.id) });
  });

  return router;
}
