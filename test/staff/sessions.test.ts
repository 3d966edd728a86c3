/**
 * Staff sessions live on the server (operations.sqlite): signing out ends the session for good,
 * even for a copy of the cookie taken before; "Sign out everywhere" ends all of an account's
 * sessions; a changed password ends its sessions; and two web processes on one data directory
 * agree on all of it.
 */
import request from 'supertest';
import { SESSION_COOKIE } from '../../src/web/staff/session';
import { hashPassword } from '../../src/web/staff/passwords';
import { accountsText, buildStaffApp, csrfOf, PASSWORD, type StaffTestApp } from './staff-app';

let t: StaffTestApp;
beforeAll(async () => {
  t = await buildStaffApp();
});
afterAll(async () => {
  await t.close();
});

/** Signs in, and keeps the session cookie as an attacker would copy it from the browser. */
async function signIn(app: StaffTestApp['app'], name = 'amina', password = PASSWORD) {
  const agent = request.agent(app);
  const form = await agent.get('/staff/sign-in').expect(200);
  const res = await agent.post('/staff/sign-in').type('form').send({ _csrf: csrfOf(form.text), username: name, password }).expect(303);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = setCookie.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]!;
  const page = await agent.get('/staff').expect(200);
  return { agent, csrf: csrfOf(page.text), cookie };
}

test('a copy of the cookie taken before sign-out no longer works afterwards', async () => {
  const { agent, csrf, cookie: copy } = await signIn(t.app);
  await request(t.app).get('/staff').set('Cookie', copy).expect(200);
  await agent.post('/staff/sign-out').type('form').send({ _csrf: csrf }).expect(303);
  // Replayed after sign-out: no console, and no run can be started with it.
  await request(t.app).get('/staff').set('Cookie', copy).expect(303).expect('Location', '/staff/sign-in');
  await request(t.app).post('/staff/api/jobs').set('Cookie', copy).set('X-CSRF-Token', csrf).send({ mode: 'full' }).expect(401);
  expect(t.runner.current()).toBeNull();
});

test('"Sign out everywhere" ends every session of the account, and only of that account', async () => {
  const laptop = await signIn(t.app);
  const phone = await signIn(t.app);
  const other = await signIn(t.app, 'ben', `${PASSWORD}!`);
  const page = await laptop.agent.get('/staff').expect(200);
  expect(page.text).toMatch(/<form[^>]+action="\/staff\/sign-out-everywhere"/);
  await laptop.agent
    .post('/staff/sign-out-everywhere')
    .type('form')
    .send({ _csrf: csrfOf(page.text) })
    .expect(303)
    .expect('Location', '/staff/sign-in?signedOut=everywhere');
  await laptop.agent.get('/staff').expect(303);
  await phone.agent.get('/staff').expect(303);
  await other.agent.get('/staff').expect(200);
  expect(t.logs).toContainEqual(expect.objectContaining({ staff: 'amina', action: 'sign-out-everywhere', sessions: 2 }));
});

test('changing the password in CORRIDOR_STAFF_ACCOUNTS ends the sessions signed in with the old one', async () => {
  const { cookie: copy } = await signIn(t.app, 'ben', `${PASSWORD}!`);
  await request(t.app).get('/staff').set('Cookie', copy).expect(200);
  const newHash = await hashPassword('a brand new passphrase', { N: 2 ** 14, r: 8, p: 1 });
  // The same data directory, restarted with amina unchanged and ben's new hash.
  const accounts = (await accountsText()).replace(/ben:[^,\s]+/, `ben:${newHash}`);
  const restarted = await buildStaffApp({ accounts, operationsDir: t.dataDir });
  try {
    await request(restarted.app).get('/staff').set('Cookie', copy).expect(303);
    // The old process, which still has the old hash, now refuses it too: the session is gone.
    await request(t.app).get('/staff').set('Cookie', copy).expect(303);
  } finally {
    await restarted.close();
  }
});

test('two web processes on one data directory share the sessions and their ends', async () => {
  const second = await buildStaffApp({ operationsDir: t.dataDir });
  try {
    const { agent, csrf, cookie: copy } = await signIn(t.app);
    await request(second.app).get('/staff').set('Cookie', copy).expect(200);
    await agent.post('/staff/sign-out').type('form').send({ _csrf: csrf }).expect(303);
    await request(second.app).get('/staff').set('Cookie', copy).expect(303);
  } finally {
    await second.close();
  }
});
