/**
 * Staff sign-in over real HTTP: sessions, sign-out, CSRF on every POST, rate limiting, and what
 * visitors who are not signed in get (a redirect for pages, 401 for JSON).
 */
import request from 'supertest';
import { waitFor } from '../jobs/helpers';
import { buildStaffApp, csrfOf, PASSWORD, signedIn, type StaffTestApp } from './staff-app';

let t: StaffTestApp;
beforeAll(async () => {
  t = await buildStaffApp({ signInLimit: { windowMs: 60_000, perAccount: 3, perAddress: 8 } });
});
afterAll(async () => {
  await t.close();
});

function cookieOf(res: request.Response): string {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = cookies.find((c) => c.startsWith('corridor_staff='));
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

describe('sign-in', () => {
  test('the right name and password sign in with a signed, httpOnly, SameSite=Lax cookie; the action is logged', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/staff/sign-in').expect(200).expect('Cache-Control', 'no-store');
    expect(page.text).toContain('<label for="username">Name</label>');
    expect(page.text).toContain('<label for="password">Password</label>');
    expect(page.headers['x-robots-tag']).toBe('noindex, nofollow');
    const res = await agent
      .post('/staff/sign-in')
      .type('form')
      .send({ _csrf: csrfOf(page.text), username: 'Amina', password: PASSWORD })
      .expect(303)
      .expect('Location', '/staff');
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/; Path=\/staff/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/; Secure/); // plain HTTP here; see the proxy test below
    const consolePage = await agent.get('/staff').expect(200);
    expect(consolePage.text).toContain('Signed in as <strong>amina</strong>');
    expect(t.logs).toContainEqual(expect.objectContaining({ staff: 'amina', action: 'sign-in', outcome: 'ok', msg: 'staff signed in', time: expect.any(Number) }));
  });

  test('a wrong password or an unknown name is refused (401) without saying which', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/staff/sign-in');
    const wrong = await agent.post('/staff/sign-in').type('form').send({ _csrf: csrfOf(page.text), username: 'ben', password: 'nope' }).expect(401);
    expect(wrong.text).toContain('The name or the password is not right.');
    expect(wrong.text).toContain('value="ben"'); // the name is kept, the password is not
    const unknown = await agent.post('/staff/sign-in').type('form').send({ _csrf: csrfOf(page.text), username: 'mallory', password: PASSWORD }).expect(401);
    expect(unknown.text).toContain('The name or the password is not right.');
    await agent.get('/staff').expect(303);
    expect(t.logs).toContainEqual(expect.objectContaining({ action: 'sign-in', outcome: 'failed', username: 'mallory' }));
  });

  test('after sign-in, the visitor goes back to the staff page they asked for, never to another site', async () => {
    const agent = request.agent(t.app);
    const redirect = await agent.get('/staff/runs?page=1').expect(303);
    expect(redirect.headers.location).toBe('/staff/sign-in?next=%2Fstaff%2Fruns%3Fpage%3D1');
    const page = await agent.get(redirect.headers.location!).expect(200);
    expect(page.text).toContain('name="next" value="/staff/runs?page=1"');
    await agent
      .post('/staff/sign-in')
      .type('form')
      .send({ _csrf: csrfOf(page.text), username: 'amina', password: PASSWORD, next: '/staff/runs?page=1' })
      .expect(303)
      .expect('Location', '/staff/runs?page=1');

    for (const evil of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const other = request.agent(t.app);
      const form = await other.get(`/staff/sign-in?next=${encodeURIComponent(evil)}`).expect(200);
      expect(form.text).not.toContain('name="next"');
      await other
        .post('/staff/sign-in')
        .type('form')
        .send({ _csrf: csrfOf(form.text), username: 'amina', password: PASSWORD, next: evil })
        .expect(303)
        .expect('Location', '/staff');
    }
  });

  test('sign-out (a POST with the token) ends the session', async () => {
    const { agent, csrf } = await signedIn(t.app);
    await agent.post('/staff/sign-out').type('form').send({ _csrf: csrf }).expect(303).expect('Location', '/staff/sign-in?signedOut=1');
    await agent.get('/staff').expect(303);
    const page = await agent.get('/staff/sign-in?signedOut=1').expect(200);
    expect(page.text).toContain('You have signed out.');
    expect(t.logs).toContainEqual(expect.objectContaining({ staff: 'amina', action: 'sign-out' }));
  });

  test('a tampered or forged cookie is no session', async () => {
    const { agent } = await signedIn(t.app);
    const res = await agent.get('/staff').expect(200);
    expect(res.status).toBe(200);
    const forged = Buffer.from(JSON.stringify({ sid: 'x', user: 'amina', iat: Date.now(), exp: Date.now() + 1e6 })).toString('base64url');
    await request(t.app).get('/staff').set('Cookie', `corridor_staff=v1.${forged}.AAAA`).expect(303);
    await request(t.app).get('/staff').set('Cookie', 'corridor_staff=garbage').expect(303);
  });

  test('behind a trusted proxy that says HTTPS, the cookie is Secure', async () => {
    const proxied = await buildStaffApp({ trustProxy: true });
    try {
      const res = await request(proxied.app).get('/staff/sign-in').set('X-Forwarded-Proto', 'https').expect(200);
      expect(cookieOf(res)).toMatch(/; Secure/);
    } finally {
      await proxied.close();
    }
  });
});

describe('visitors who are not signed in', () => {
  test('are sent to sign in from every staff page, keeping where they were going', async () => {
    await request(t.app).get('/staff').expect(303).expect('Location', '/staff/sign-in');
    await request(t.app).get('/staff/runs/run-123').expect(303).expect('Location', '/staff/sign-in?next=%2Fstaff%2Fruns%2Frun-123');
    await request(t.app).get('/staff/no-such-page').expect(303);
    // A form post without a session goes to sign-in too (and does nothing).
    await request(t.app).post('/staff/jobs').type('form').send({ mode: 'full' }).expect(303).expect('Location', '/staff/sign-in');
    expect(t.runner.current()).toBeNull();
  });

  test('JSON clients and /staff/api get 401 JSON', async () => {
    const api = await request(t.app).get('/staff/api/jobs/current').expect(401).expect('Content-Type', /json/);
    expect(api.body).toEqual({ error: { status: 401, message: 'Sign in as staff to use this endpoint.', params: [] } });
    await request(t.app).post('/staff/api/jobs').send({ mode: 'full' }).expect(401).expect('Content-Type', /json/);
    // An HTML page asked for as JSON.
    await request(t.app).get('/staff/runs').set('Accept', 'application/json').expect(401).expect('Content-Type', /json/);
  });

  test('public pages carry no staff cookie', async () => {
    const res = await request(t.app).get('/').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('CSRF', () => {
  test('POSTs without the token, with a wrong one, or with another session\'s are refused with 403', async () => {
    const { agent, csrf } = await signedIn(t.app);
    const other = await signedIn(t.app, 'ben', `${PASSWORD}!`);
    expect(other.csrf).not.toBe(csrf);

    const none = await agent.post('/staff/jobs').type('form').send({ mode: 'full' }).expect(403);
    expect(none.text).toContain('This form has expired or did not come from this site');
    await agent.post('/staff/jobs').type('form').send({ mode: 'full', _csrf: 'x'.repeat(43) }).expect(403);
    await agent.post('/staff/jobs').type('form').send({ mode: 'full', _csrf: other.csrf }).expect(403);
    await agent.post('/staff/sign-out').type('form').send({}).expect(403);
    const json = await agent.post('/staff/api/jobs').send({ mode: 'full' }).expect(403).expect('Content-Type', /json/);
    expect(json.body.error.status).toBe(403);
    await agent.post('/staff/api/jobs').set('X-CSRF-Token', other.csrf).send({ mode: 'full' }).expect(403);
    expect(t.runner.current()).toBeNull();
    expect((await t.store.history.list({ limit: 1 })).total).toBe(0);
    expect(t.logs).toContainEqual(expect.objectContaining({ staff: 'amina', msg: 'staff request refused: missing or wrong CSRF token' }));

    // The same requests with the right token go through.
    const ok = await agent.post('/staff/api/jobs').set('X-CSRF-Token', csrf).send({ mode: 'full' }).expect(202);
    expect(ok.body.runId).toMatch(/^run-/);
    await waitFor(() => t.runner.current() === null);
  });

  test('the sign-in form is protected too: a post without its token is refused (403) with a fresh form', async () => {
    const res = await request(t.app).post('/staff/sign-in').type('form').send({ username: 'amina', password: PASSWORD }).expect(403);
    expect(res.text).toContain('The sign-in form had expired');
    expect(csrfOf(res.text)).toBeTruthy();
  });
});

describe('rate limiting', () => {
  test('after 3 failed attempts for one name from one address, the 4th gets a clear 429 page — even with the right password', async () => {
    const limited = await buildStaffApp({ signInLimit: { windowMs: 60_000, perAccount: 3, perAddress: 100 } });
    try {
      const agent = request.agent(limited.app);
      const token = csrfOf((await agent.get('/staff/sign-in')).text);
      const attempt = (username: string, password: string) => agent.post('/staff/sign-in').type('form').send({ _csrf: token, username, password });
      for (let i = 0; i < 3; i++) await attempt('amina', 'wrong').expect(401);
      const blocked = await attempt('amina', PASSWORD).expect(429);
      expect(blocked.text).toContain('Too many failed sign-in attempts');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.headers['content-type']).toMatch(/html/);
      // Another account from the same address is not locked out by someone guessing amina's password.
      await attempt('ben', `${PASSWORD}!`).expect(303);
      expect(limited.logs).toContainEqual(expect.objectContaining({ action: 'sign-in', outcome: 'rate-limited', username: 'amina' }));
    } finally {
      await limited.close();
    }
  });

  test('successful sign-ins do not count; many names from one address are limited overall', async () => {
    const limited = await buildStaffApp({ signInLimit: { windowMs: 60_000, perAccount: 3, perAddress: 4 } });
    try {
      for (let i = 0; i < 5; i++) {
        // A fresh visitor each time: signing in rotates the session (and so its token).
        const visitor = request.agent(limited.app);
        const form = csrfOf((await visitor.get('/staff/sign-in')).text);
        await visitor.post('/staff/sign-in').type('form').send({ _csrf: form, username: 'amina', password: PASSWORD }).expect(303);
      }
      const agent = request.agent(limited.app);
      const token = csrfOf((await agent.get('/staff/sign-in')).text);
      for (let i = 0; i < 4; i++) {
        await agent.post('/staff/sign-in').type('form').send({ _csrf: token, username: `guess${i}`, password: 'x' }).expect(401);
      }
      await agent.post('/staff/sign-in').type('form').send({ _csrf: token, username: 'guess9', password: 'x' }).expect(429);
    } finally {
      await limited.close();
    }
  });
});

describe('no staff accounts configured', () => {
  test('the staff pages say so instead of failing', async () => {
    const none = await buildStaffApp({ accounts: '' });
    try {
      const page = await request(none.app).get('/staff/sign-in').expect(200);
      expect(page.text).toContain('Staff sign-in is not set up');
      expect(page.text).not.toContain('type="password"');
      await request(none.app).get('/staff').expect(303).expect('Location', '/staff/sign-in');
      await request(none.app).post('/staff/sign-in').type('form').send({ username: 'amina', password: PASSWORD }).expect(403);
      const api = await request(none.app).get('/staff/api/jobs/current').expect(401);
      expect(api.body.error.message).toMatch(/no staff accounts are configured/);
    } finally {
      await none.close();
    }
  });
});
