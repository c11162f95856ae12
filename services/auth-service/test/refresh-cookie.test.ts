import { describe, expect, it } from 'vitest';
import { createCredential, PASSWORD, uniqueEmail, useAuthService } from './support.ts';

// Issue 8, defect 7: a script in the page must never read a refresh token. Browsers get it as an
// HttpOnly, Secure, SameSite=Strict cookie scoped to /api/auth; only a client that asks for
// "tokenDelivery": "body" at login gets it in the body, and a refresh answers in the channel it came in.

describe('refresh token delivery', () => {
  const auth = useAuthService();

  async function credential() {
    const email = uniqueEmail();
    await createCredential(auth, email);
    return email;
  }

  /** A raw POST, so the test sees Set-Cookie and can send Cookie (fetch keeps no cookie jar). */
  async function post(path: string, body: unknown, cookie?: string) {
    const res = await fetch(`${auth.service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      setCookie: res.headers.getSetCookie(),
      body: text ? JSON.parse(text) : undefined,
    };
  }

  const refreshCookie = (setCookie: string[]) => {
    const line = setCookie.find((c) => c.startsWith('sagamart_refresh='));
    expect(line).toBeDefined();
    return { line: line!, pair: line!.split(';')[0]! };
  };

  it('delivers the refresh token as an HttpOnly, Secure, SameSite=Strict cookie on /api/auth, not in the body', async () => {
    const login = await post('/api/auth/login', { email: await credential(), password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.accessToken).toEqual(expect.any(String));
    expect(login.body).not.toHaveProperty('refreshToken');
    const { line } = refreshCookie(login.setCookie);
    const attributes = line.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(
      expect.arrayContaining(['httponly', 'secure', 'samesite=strict', 'path=/api/auth']),
    );
    expect(attributes.some((a) => a.startsWith('max-age='))).toBe(true);
  });

  it('refreshes from the cookie and rotates it, again only as a cookie', async () => {
    const login = await post('/api/auth/login', { email: await credential(), password: PASSWORD });
    const first = refreshCookie(login.setCookie).pair;
    const refreshed = await post('/api/auth/refresh', {}, first);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.accessToken).toEqual(expect.any(String));
    expect(refreshed.body).not.toHaveProperty('refreshToken');
    const second = refreshCookie(refreshed.setCookie).pair;
    expect(second).not.toBe(first);
    // The used cookie is dead (and presenting it again revokes the family).
    expect((await post('/api/auth/refresh', {}, first)).status).toBe(401);
  });

  it('gives a client that asks for the body the token in the body, and no cookie', async () => {
    const login = await post('/api/auth/login', {
      email: await credential(),
      password: PASSWORD,
      tokenDelivery: 'body',
    });
    expect(login.body.refreshToken).toEqual(expect.any(String));
    expect(login.setCookie.some((c) => c.startsWith('sagamart_refresh='))).toBe(false);
    const refreshed = await post('/api/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(refreshed.body.refreshToken).toEqual(expect.any(String));
    expect(refreshed.setCookie.some((c) => c.startsWith('sagamart_refresh='))).toBe(false);
  });

  it('needs a refresh token in the body or the cookie, and a JSON body', async () => {
    expect((await post('/api/auth/refresh', {})).status).toBe(401);
    // A cross-site form post cannot carry JSON: it is refused before the cookie is looked at.
    const login = await post('/api/auth/login', { email: await credential(), password: PASSWORD });
    const cookie = refreshCookie(login.setCookie).pair;
    const form = await fetch(`${auth.service.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: 'a=b',
    });
    expect(form.status).toBe(415);
    expect((await post('/api/auth/refresh', {}, cookie)).status).toBe(200);
  });

  it('revokes the session on logout with the cookie, and clears the cookie', async () => {
    const login = await post('/api/auth/login', { email: await credential(), password: PASSWORD });
    const cookie = refreshCookie(login.setCookie).pair;
    const logout = await post('/api/auth/logout', {}, cookie);
    expect(logout.status).toBe(204);
    const cleared = refreshCookie(logout.setCookie).line.toLowerCase();
    expect(cleared).toMatch(/^sagamart_refresh=;/);
    expect(cleared).toMatch(/max-age=0|expires=thu, 01 jan 1970/);
    expect((await post('/api/auth/refresh', {}, cookie)).status).toBe(401);
  });
});
