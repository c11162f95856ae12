import type { ConfigTree, Service } from '@sagamart/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type Echo,
  type FakeAuth,
  startBackends,
  startGateway,
  stopAll,
  TestDiscovery,
} from './harness.ts';

const routes: ConfigTree[] = [
  // auth-service's part is played by an echo: it shows the X-Forwarded-For auth would throttle by.
  { id: 'login', path: '/api/auth/login', service: 'login-service', role: 'NONE', rateLimit: 'auth' },
  { id: 'signup', path: '/api/users/signup', service: 'user-service', role: 'NONE', rateLimit: 'auth' },
  { id: 'catalog', path: '/api/catalog', service: 'user-service', role: 'NONE', rateLimit: 'tight' },
];
const rateLimits = {
  default: { capacity: 1000, refillPerSecond: 1000 },
  // As config/gateway.yml has it, smaller: counted per address, signed in or not.
  auth: { capacity: 2, refillPerSecond: 0.01, perAddress: true },
  tight: { capacity: 2, refillPerSecond: 0.01 },
};

/** The client as the proxy in front names it (X-Forwarded-For, which it appends to). */
const from = (forwardedFor: string, headers: Record<string, string> = {}) => ({
  headers: { 'x-forwarded-for': forwardedFor, ...headers },
});

describe('the client address, behind a proxy and not', () => {
  const discovery = new TestDiscovery();
  let auth: FakeAuth;
  let backends: Service<unknown>[] = [];
  /** Behind a proxy on 127.0.0.1 (the tests' own connections). */
  let proxied: Service<unknown>;
  /** No proxy in front: the connection's peer is the client. */
  let direct: Service<unknown>;

  beforeAll(async () => {
    ({ auth, services: backends } = await startBackends(discovery, {
      'login-service': 'login-1',
      'user-service': 'users-1',
    }));
    [proxied, direct] = await Promise.all([
      startGateway(discovery, { routes, rateLimits, trustedProxies: ['127.0.0.1'] }),
      startGateway(discovery, { routes, rateLimits }),
    ]);
  });

  afterAll(() => stopAll([proxied, direct, ...backends]));

  const post = (gateway: Service<unknown>, path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}${path}`, { method: 'POST', body: '{}', ...init });
  const forwardedFor = async (res: Response) => {
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as Echo).headers['x-forwarded-for'];
  };

  it('behind a trusted proxy, counts each client by the address the proxy gave, and tells auth that one', async () => {
    for (let i = 0; i < 2; i++)
      expect(await forwardedFor(await post(proxied, '/api/auth/login', from('203.0.113.1')))).toBe(
        '203.0.113.1',
      );
    expect((await post(proxied, '/api/auth/login', from('203.0.113.1'))).status).toBe(429);
    // Another shopper behind the same proxy still logs in.
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('203.0.113.2')))).toBe(
      '203.0.113.2',
    );
    // What the client itself put before the proxy's hop is not believed: still 203.0.113.1's bucket.
    expect((await post(proxied, '/api/auth/login', from('198.51.100.7, 203.0.113.1'))).status).toBe(429);
    // The hop of a further trusted proxy is passed over.
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('203.0.113.3, 127.0.0.1')))).toBe(
      '203.0.113.3',
    );
  });

  it('counts an IPv6 client by its /64, and tells auth that network', async () => {
    for (const host of ['a', 'b'])
      expect(await forwardedFor(await post(proxied, '/api/auth/login', from(`2001:db8:1:2::${host}`)))).toBe(
        '2001:db8:1:2::',
      );
    // A third address of the same /64 is the same client.
    expect((await post(proxied, '/api/auth/login', from('2001:db8:1:2:aaaa:bbbb:cccc:dddd'))).status).toBe(
      429,
    );
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('2001:db8:1:3::a')))).toBe(
      '2001:db8:1:3::',
    );
  });

  it('reads every spelling of an IPv6 address as the same /64', async () => {
    // Compressed, padded and upper-case forms of one network are one client.
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('2001:db8::1')))).toBe(
      '2001:db8::',
    );
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('2001:0DB8:0:0::2')))).toBe(
      '2001:db8::',
    );
    expect((await post(proxied, '/api/auth/login', from('2001:db8:0:0:ffff::3'))).status).toBe(429);
    // A zone id names the proxy's link, not the client: dropped, whatever the interface is called.
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('fe80::1%eth0')))).toBe('fe80::');
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('fe80::2%eth0.100')))).toBe(
      'fe80::',
    );
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', async () => {
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('::ffff:203.0.113.60')))).toBe(
      '203.0.113.60',
    );
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('203.0.113.60')))).toBe(
      '203.0.113.60',
    );
    expect((await post(proxied, '/api/auth/login', from('::ffff:cb00:713c'))).status).toBe(429);
  });

  it('counts an address the proxy gave with a port by the address alone', async () => {
    // Some proxies append the client's source port: each new connection must not get a fresh bucket.
    for (const port of [5678, 5679])
      expect(await forwardedFor(await post(proxied, '/api/auth/login', from(`203.0.113.80:${port}`)))).toBe(
        '203.0.113.80',
      );
    expect((await post(proxied, '/api/auth/login', from('203.0.113.80:5680'))).status).toBe(429);
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('[2001:db8:7::1]:443')))).toBe(
      '2001:db8:7::',
    );
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('[2001:db8:7::2]')))).toBe(
      '2001:db8:7::',
    );
    expect((await post(proxied, '/api/auth/login', from('[2001:db8:7::3]:8443'))).status).toBe(429);
  });

  it('counts a client the proxy names by no address by that proxy, and tells auth its address', async () => {
    // auth-service believes only an address: anything else would leave it to count the gateway.
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('unknown')))).toBe('127.0.0.1');
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('2001:db8::1::2')))).toBe(
      '127.0.0.1',
    );
    expect((await post(proxied, '/api/auth/login', from('_hidden'))).status).toBe(429);
  });

  it('counts a NAT64 client (64:ff9b::/96) by the IPv4 address it carries', async () => {
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('64:ff9b::198.51.100.1')))).toBe(
      '198.51.100.1',
    );
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('64:ff9b::c633:6401')))).toBe(
      '198.51.100.1',
    );
    expect((await post(proxied, '/api/auth/login', from('64:ff9b::198.51.100.1'))).status).toBe(429);
    // Another IPv4 client behind the same NAT64 prefix is another client.
    expect(await forwardedFor(await post(proxied, '/api/auth/login', from('64:ff9b::198.51.100.2')))).toBe(
      '198.51.100.2',
    );
  });

  it('trusts every hop inside a trusted CIDR range, IPv4 and IPv6', async () => {
    const ranged = await startGateway(discovery, {
      routes,
      rateLimits,
      trustedProxies: ['127.0.0.0/8', '10.0.0.0/8', 'fd00::/8'],
    });
    try {
      expect(
        await forwardedFor(await post(ranged, '/api/auth/login', from('203.0.113.70, fd12::1, 10.1.2.3'))),
      ).toBe('203.0.113.70');
      // 11.0.0.1 is outside 10.0.0.0/8: it is the client.
      expect(await forwardedFor(await post(ranged, '/api/auth/login', from('203.0.113.71, 11.0.0.1')))).toBe(
        '11.0.0.1',
      );
      // No address from the client's side: counted by the nearest trusted proxy, the one that wrote it.
      expect(
        await forwardedFor(await post(ranged, '/api/auth/login', from('203.0.113.72, unknown, 10.1.2.4'))),
      ).toBe('10.1.2.4');
    } finally {
      await ranged.stop();
    }
  });

  it('without trusted proxies, ignores the X-Forwarded-For a client sends', async () => {
    expect(await forwardedFor(await post(direct, '/api/auth/login', from('203.0.113.1')))).toBe('127.0.0.1');
    expect(await forwardedFor(await post(direct, '/api/auth/login', from('203.0.113.2')))).toBe('127.0.0.1');
    // Both were the one client on 127.0.0.1: its bucket is empty whatever it claims next.
    expect((await post(direct, '/api/auth/login', from('203.0.113.3'))).status).toBe(429);
  });

  it('counts sign-ups per address even when a token is presented', async () => {
    const token = await auth.sign({ sub: 'spammer-1' });
    const client = from('203.0.113.50');
    for (let i = 0; i < 2; i++) expect((await post(proxied, '/api/users/signup', client)).status).toBe(200);
    expect((await post(proxied, '/api/users/signup', client)).status).toBe(429);
    const signedIn = from('203.0.113.50', bearer(token));
    expect((await post(proxied, '/api/users/signup', signedIn)).status).toBe(429);
    // A class without perAddress keeps a bucket per signed-in user.
    for (let i = 0; i < 2; i++) expect((await post(proxied, '/api/catalog/x', client)).status).toBe(200);
    expect((await post(proxied, '/api/catalog/x', client)).status).toBe(429);
    expect((await post(proxied, '/api/catalog/x', signedIn)).status).toBe(200);
  });

  it('refuses to start with a trusted proxy that is not an address or CIDR range', async () => {
    await expect(
      startGateway(discovery, { routes, rateLimits, trustedProxies: ['proxy.local'] }),
    ).rejects.toThrow(/gateway\.trustedProxies: proxy\.local is not an address or CIDR range/);
  });

  it('refuses trusted proxies that are out of range or would not mean what they say', async () => {
    // 010.0.0.1 would be read as octal (8.0.0.1) and 10.1 as 10.0.0.1 when matching; an interface name
    // the matcher cannot read made the gateway fail later, without naming the setting.
    const refused = ['010.0.0.1', '10.1', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/1', 'fe80::1%eth-0'];
    const error = await startGateway(discovery, { routes, rateLimits, trustedProxies: refused }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    for (const entry of refused)
      expect(error?.message).toContain(`gateway.trustedProxies: ${entry} is not an address or CIDR range`);
  });
});
