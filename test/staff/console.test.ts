/**
 * The staff console over real HTTP: index status, sources, triggering runs (202 / 409), live
 * progress as JSON and as a page that refreshes itself without JavaScript, and the run history.
 */
import { gate, gatedJob, waitFor, type Gate } from '../jobs/helpers';
import type { JobContext } from '../../src/jobs/job-runner';
import { buildStaffApp, csrfOf, signedIn, type StaffTestApp } from './staff-app';

let t: StaffTestApp;
let g: Gate;
let ctx: JobContext | undefined;

beforeAll(async () => {
  g = gate();
  // Each run waits for the current gate; tests open it when they want the run to end.
  t = await buildStaffApp({
    job: (c) => {
      ctx = c;
      return gatedJob(g)(c);
    },
  });
});
afterAll(async () => {
  g.open();
  await t.close();
});

async function finishRun(): Promise<void> {
  g.open();
  await waitFor(() => t.runner.current() === null, 5000, 'the run to end');
  g = gate();
}

test('the console shows the live index, the sources, the schedule and the two triggers', async () => {
  const { agent } = await signedIn(t.app);
  const res = await agent.get('/staff').expect(200);
  const html = res.text;
  const status = await t.search.status();
  expect(html).toContain('<h2 id="index-heading">Live index</h2>');
  expect(html).toContain(`<dd data-field="documents">${status.documents.toLocaleString('en')}</dd>`);
  expect(html).toContain(status.runId!);
  expect(html).toContain('<th scope="row">src-a</th>');
  expect(html).toContain('https://example.org/feed');
  expect(html).toContain('Not read yet');
  expect(html).toContain('<code>0 2 * * *</code>');
  expect(html).toMatch(/<button type="submit" class="button button-primary"[^>]*>Reindex now<\/button>/);
  expect(html).toMatch(/<button type="submit" class="button button-secondary"[^>]*>Ingest changes<\/button>/);
  expect(html.match(/name="_csrf" value="/g)!.length).toBeGreaterThanOrEqual(3); // sign-out + two triggers
  // No run: no refresh, but the progress script (external: the CSP allows no inline script).
  expect(html).not.toContain('http-equiv="refresh"');
  expect(html).toContain('<script src="/js/staff-progress.js" defer></script>');
  expect(html).not.toMatch(/<script>(?!<\/script>)/);
  expect(html).toContain('<main id="main"');
  expect(html).toContain('<nav class="staff-nav" aria-label="Staff">');
});

test('"Reindex now" starts a run; while it runs, a second trigger is refused (409) with a clear message', async () => {
  const { agent, csrf } = await signedIn(t.app);
  const started = await agent.post('/staff/jobs').type('form').send({ _csrf: csrf, mode: 'full' }).expect(303);
  const runId = /started=([^#&]+)/.exec(started.headers.location!)![1]!;
  expect(ctx?.runId).toBe(runId);
  expect(ctx?.trigger).toBe('staff:amina');
  expect(ctx?.mode).toBe('full');

  // The page it lands on shows the run, and refreshes itself for browsers without JavaScript.
  const page = await agent.get(started.headers.location!.replace(/#.*/, '')).expect(200);
  expect(page.text).toContain(`Run ${runId} has started.`);
  expect(page.text).toContain('<noscript><meta http-equiv="refresh" content="5"></noscript>');
  expect(page.text).toContain('data-running="true"');
  expect(page.text).toMatch(/<tr data-source="src-a">\s*<th scope="row">src-a<\/th>/);

  // A second trigger, by form: the console again, status 409, with the reason.
  const form = await agent.post('/staff/jobs').type('form').send({ _csrf: csrf, mode: 'incremental' }).expect(409);
  expect(form.text).toContain(`Not started: An ingest run is already in progress (staff:amina, run ${runId}, since`);
  expect(form.text).toContain('role="alert"');
  // … and by JSON.
  const other = await signedIn(t.app, 'ben', 'correct horse battery staple!');
  const api = await other.agent.post('/staff/api/jobs').set('X-CSRF-Token', other.csrf).send({ mode: 'full' }).expect(409);
  expect(api.body.error).toMatchObject({ status: 409, message: expect.stringContaining(`already in progress (staff:amina, run ${runId}`) });
  expect(t.logs).toContainEqual(expect.objectContaining({ staff: 'ben', action: 'trigger-run', outcome: 'already-running' }));

  // Live progress, as the progress script reads it.
  const current = await agent.get('/staff/api/jobs/current').expect(200);
  expect(current.body).toMatchObject({
    running: true,
    run: {
      id: runId,
      trigger: 'staff:amina',
      triggerLabel: 'amina (staff)',
      mode: 'full',
      local: true,
      counts: { read: 1, indexed: 1, rejected: 0 },
      sources: [expect.objectContaining({ source: 'src-a', state: 'running', stateLabel: 'Reading', read: 1 })],
      url: `/staff/runs/${runId}`,
    },
  });
  expect(current.body.run.elapsedMs).toBeGreaterThanOrEqual(0);
  expect(current.headers['cache-control']).toBe('no-store');

  await finishRun();
  const after = await agent.get('/staff/api/jobs/current').expect(200);
  expect(after.body).toMatchObject({ running: false, run: null, last: { id: runId, outcome: 'succeeded', outcomeLabel: 'Succeeded' } });
  const idle = await agent.get('/staff').expect(200);
  expect(idle.text).not.toContain('http-equiv="refresh"');
  expect(t.logs).toContainEqual(expect.objectContaining({ staff: 'amina', action: 'trigger-run', mode: 'full', runId }));
});

test('POST /staff/api/jobs answers 202 with the run id; a bad mode is a 400 naming it', async () => {
  const { agent, csrf } = await signedIn(t.app);
  const bad = await agent.post('/staff/api/jobs').set('X-CSRF-Token', csrf).send({ mode: 'everything' }).expect(400);
  expect(bad.body.error.params).toEqual([{ param: 'mode', message: expect.stringContaining('"full"') }]);
  const res = await agent.post('/staff/api/jobs').set('X-CSRF-Token', csrf).send({ mode: 'incremental' }).expect(202);
  expect(res.body).toEqual({ runId: expect.stringMatching(/^run-/), url: `/staff/runs/${res.body.runId}` });
  expect(res.headers.location).toBe(`/staff/api/runs/${res.body.runId}`);
  await finishRun();
  const run = await agent.get(`/staff/api/runs/${res.body.runId}`).expect(200);
  expect(run.body.run).toMatchObject({ id: res.body.runId, mode: 'incremental', outcome: 'succeeded', trigger: 'staff:amina' });
  expect(run.body.rejections).toEqual([{ source: 'src-a', position: 2, recordId: 'bad-1', reason: 'title is missing' }]);
});

test('the run history lists runs with trigger, start, duration, outcome and counts; a run page has sources and rejections', async () => {
  const { agent } = await signedIn(t.app);
  const list = await agent.get('/staff/runs').expect(200);
  expect(list.text).toContain('<h1>Run history</h1>');
  expect(list.text).toContain('amina (staff)');
  expect(list.text).toContain('<span class="badge badge-succeeded">Succeeded</span>');
  expect(list.text).toContain('Full reindex');
  expect(list.text).toContain('Changes only');
  const runId = /href="\/staff\/runs\/(run-[^"]+)"/.exec(list.text)![1]!;

  const detail = await agent.get(`/staff/runs/${runId}`).expect(200);
  expect(detail.text).toContain(`<h1>Run ${runId}</h1>`);
  expect(detail.text).toContain('<th scope="row">src-a</th>');
  expect(detail.text).toContain('title is missing');
  expect(detail.text).toContain('bad-1');
  expect(detail.text).toContain('1 record was rejected');

  // The console's sources table now has the source's latest figures.
  const consolePage = await agent.get('/staff').expect(200);
  expect(consolePage.text).toMatch(/<th scope="row">src-a<\/th>[\s\S]*?<td class="num">3<\/td>\s*<td class="num">2<\/td>\s*<td class="num">1<\/td>/);

  await agent.get('/staff/runs/run-nope').expect(404);
  const badPage = await agent.get('/staff/runs?page=0').expect(400);
  expect(badPage.text).toContain('page');
});

test('a run started by another process (the CLI) shows on the console from the shared history', async () => {
  const { agent } = await signedIn(t.app);
  await t.store.history.begin({ id: 'run-cli-1', trigger: 'cli', mode: 'full', holder: 'other:1/run-cli-1', startedAt: new Date() });
  await t.store.history.progress('run-cli-1', [
    { source: 'feed', kind: 'rss', state: 'running', read: 40, indexed: 38, rejected: 2, deleted: 0, duplicates: 0 },
  ]);
  await t.store.leases.acquire('ingest', 'other:1/run-cli-1', 60_000, 'cli, run run-cli-1');
  try {
    const current = await agent.get('/staff/api/jobs/current').expect(200);
    expect(current.body.run).toMatchObject({ id: 'run-cli-1', triggerLabel: 'Command line', local: false, counts: { read: 40 } });
    const page = await agent.get('/staff').expect(200);
    expect(page.text).toContain('started by Command line');
    const { csrf } = { csrf: csrfOf(page.text) };
    const refused = await agent.post('/staff/jobs').type('form').send({ _csrf: csrf, mode: 'full' }).expect(409);
    expect(refused.text).toContain('already in progress (cli, run run-cli-1');
  } finally {
    await t.store.leases.release('ingest', 'other:1/run-cli-1');
  }
});

test('a refused run shows the size of the index it kept; a partial one what it carried over and which source was retired', async () => {
  const { agent } = await signedIn(t.app);
  const started = new Date(Date.now() - 10_000);
  const zero = { read: 0, indexed: 0, rejected: 0, deleted: 0, duplicates: 0 };
  await t.store.history.begin({ id: 'run-refused', trigger: 'cli', mode: 'full', holder: 'h/run-refused', startedAt: started });
  await t.store.history.finish('run-refused', {
    outcome: 'failed',
    finishedAt: new Date(),
    counts: { ...zero, read: 2, indexed: 2, documents: 137 },
    sources: [{ source: 'tiny.ndjson', kind: 'file', state: 'done', ...zero, read: 2, indexed: 2 }],
    rejections: [],
    rejectionsTotal: 0,
    error: 'the commit was refused: the new index has 2 documents, the live one 137',
  });
  const refused = await agent.get('/staff/runs/run-refused').expect(200);
  expect(refused.text).toContain('unchanged (137 documents)');
  expect(refused.text).not.toMatch(/>0 documents</);

  await t.store.history.begin({ id: 'run-partial', trigger: 'nightly', mode: 'full', holder: 'h/run-partial', startedAt: started });
  await t.store.history.finish('run-partial', {
    outcome: 'partial',
    finishedAt: new Date(),
    counts: { ...zero, read: 10, indexed: 10, deleted: 4, carried: 7, documents: 17 },
    sources: [
      { source: 'feed', kind: 'rss', state: 'failed', ...zero, carried: 7, error: 'feed: GET … timed out' },
      { source: 'api', kind: 'http-json', state: 'done', ...zero, read: 10, indexed: 10 },
      { source: 'old-feed', state: 'retired', ...zero, deleted: 4 },
    ],
    rejections: [],
    rejectionsTotal: 0,
  });
  const partial = await agent.get('/staff/runs/run-partial').expect(200);
  expect(partial.text).toMatch(/<dt>Kept unchanged<\/dt><dd>7<\/dd>/);
  expect(partial.text).toContain('17 documents');
  expect(partial.text).toMatch(/<th scope="row">old-feed<\/th>[\s\S]*?No longer configured[\s\S]*?<td class="num">4<\/td>/);
});
