import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textById } from '../helpers/html-query.js';
import { type RunningDemo, startDemoApp } from '../helpers/start-demo-app.js';
import { csrfTokenIn, postForm, submitLogin } from './forms.js';

let demo: RunningDemo;
beforeAll(async () => {
  demo = await startDemoApp({ store: 'sqlite' });
});
afterAll(() => demo.close());

const logIn = submitLogin;

describe('GET /login', () => {
  it('shows the login form and sets a session cookie for the test cookie', async () => {
    const client = demo.client();
    const response = await client.get('/login');
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/<form method="post" action="\/login"/);
    expect(response.text).toContain('name="username"');
    expect(response.text).toContain('name="password"');
    expect(client.cookie('sessionid')).toBeTruthy();
  });
});

describe('POST /login', () => {
  it('asks to enable cookies when the test cookie did not come back', async () => {
    const client = demo.client();
    await client.get('/login');
    client.clearCookies();
    const response = await client.post('/login', { username: 'ada', password: 'tessera' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('Please enable cookies and try again.');
    expect(response.headers.get('location')).toBeNull();
  });

  it('asks to enable cookies when the login page was never opened', async () => {
    const response = await demo.client().post('/login', { username: 'ada', password: 'tessera' });
    expect(response.text).toContain('Please enable cookies and try again.');
  });

  it('logs in: redirects with 303 to /account, which shows the user', async () => {
    const client = demo.client();
    const response = await logIn(client, 'ada');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/account');
    const account = await client.get('/account');
    expect(account.status).toBe(200);
    expect(textById(account.text, 'user')).toBe('ada');
  });

  it('changes the session id on login (cycleKey)', async () => {
    const client = demo.client();
    await client.get('/login');
    const before = client.cookie('sessionid');
    expect(before).toBeTruthy();
    await postForm(client, '/login', { username: 'ada', password: 'tessera' });
    const after = client.cookie('sessionid');
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
  });

  it('keeps the data of the visit across the login', async () => {
    const client = demo.client();
    await client.get('/');
    await client.get('/');
    await logIn(client);
    expect(textById((await client.get('/')).text, 'visits')).toBe('3');
  });

  it('logs nobody in with the cookie from before the login', async () => {
    const victim = demo.client();
    await victim.get('/login');
    const planted = victim.cookie('sessionid')!;
    await postForm(victim, '/login', { username: 'ada', password: 'tessera' });

    const attacker = demo.client();
    attacker.setCookie('sessionid', planted);
    const response = await attacker.get('/account');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
  });

  it('answers 401 with the form again for a wrong password', async () => {
    const client = demo.client();
    const response = await logIn(client, 'ada', 'wrong');
    expect(response.status).toBe(401);
    expect(textById(response.text, 'error')).toBe('Wrong user name or password.');
    expect(response.text).toContain('name="password"');
    expect((await client.get('/account')).status).toBe(303);
  });

  it('lets the user retry after a wrong password', async () => {
    const client = demo.client();
    const failed = await logIn(client, 'ada', 'wrong');
    const response = await client.post('/login', {
      _csrf: csrfTokenIn(failed.text) ?? '',
      username: 'ada',
      password: 'tessera',
    });
    expect(response.status).toBe(303);
    expect(textById((await client.get('/account')).text, 'user')).toBe('ada');
  });

  it('answers 400 without a user name', async () => {
    expect((await logIn(demo.client(), '', 'tessera')).status).toBe(400);
  });

  it('escapes the user name on the account page', async () => {
    const client = demo.client();
    await logIn(client, '<img src=x onerror=alert(1)>');
    const account = await client.get('/account');
    expect(account.text).not.toContain('<img');
    expect(textById(account.text, 'user')).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('GET /account', () => {
  it('redirects with 303 to /login when nobody is logged in', async () => {
    const response = await demo.client().get('/account');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
  });
});

describe('POST /logout', () => {
  it('flushes the session, deletes the cookie and redirects with 303 to /', async () => {
    const client = demo.client();
    await logIn(client);
    await client.get('/');
    const response = await postForm(client, '/logout');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(client.cookie('sessionid')).toBeUndefined();
    expect((await client.get('/account')).status).toBe(303);
    expect(textById((await client.get('/')).text, 'visits')).toBe('1');
  });

  it('makes the logged-in cookie worthless', async () => {
    const client = demo.client();
    await logIn(client);
    const loggedIn = client.cookie('sessionid')!;
    await postForm(client, '/logout');

    const replay = demo.client();
    replay.setCookie('sessionid', loggedIn);
    expect((await replay.get('/account')).status).toBe(303);
  });
});
