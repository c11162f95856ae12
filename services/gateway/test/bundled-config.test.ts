import { describe, expect, it } from 'vitest';
import { gatewayDefaults } from '../src/defaults.ts';
import { parseGatewaySettings, parseTrustedProxies } from '../src/domain/gateway-settings.ts';

/** config/gateway.yml is what the config server serves and what the gateway falls back to. */
describe('config/gateway.yml', () => {
  const gateway = gatewayDefaults().gateway as Record<string, unknown>;
  const settings = parseGatewaySettings(gateway);
  const routeFor = (method: string, path: string) => {
    const match = settings.routes.match(method, path);
    return match.kind === 'route'
      ? { id: match.route.id, service: match.route.service, role: match.route.role }
      : match.kind;
  };

  it('is valid', () => {
    expect(settings.routes.routes.length).toBeGreaterThan(20);
  });

  it("sends the shopper's after-sale actions on an order to shipping-service", () => {
    const shipping = { service: 'shipping-service', role: 'USER' };
    expect(routeFor('POST', '/api/orders/ORD-20261204-ABCDEFGH/confirm')).toMatchObject(shipping);
    expect(routeFor('POST', '/api/orders/abc/returns')).toMatchObject(shipping);
    expect(routeFor('POST', '/api/orders/abc/exchanges')).toMatchObject(shipping);
    expect(routeFor('GET', '/api/orders/abc/claims')).toMatchObject(shipping);
    expect(routeFor('GET', '/api/shipping/orders/abc')).toMatchObject(shipping);
    expect(routeFor('POST', '/api/admin/shipping/returns/x/approve')).toMatchObject({
      service: 'shipping-service',
      role: 'ADMIN',
    });
    expect(routeFor('POST', '/api/orders/abc/cancel')).toMatchObject({ service: 'order-service' });
    expect(routeFor('GET', '/api/orders/abc')).toMatchObject({ service: 'order-service' });
  });

  it('limits coupon-code claims per shopper more tightly than browsing, so codes cannot be guessed fast', () => {
    const claim = settings.routes.match('POST', '/api/promotion/coupons/claim');
    const list = settings.routes.match('GET', '/api/promotion/coupons');
    if (claim.kind !== 'route' || list.kind !== 'route') throw new Error('coupon routes missing');
    expect(claim.route).toMatchObject({ service: 'promotion-service', role: 'USER' });
    const claims = settings.rateLimits[claim.route.rateLimit]!;
    const browsing = settings.rateLimits[list.route.rateLimit]!;
    expect(claims.refillPerSecond).toBeLessThanOrEqual(0.2);
    expect(claims.capacity).toBeLessThan(browsing.capacity);
  });

  it('routes the platform as planned', () => {
    expect(routeFor('POST', '/api/auth/login')).toMatchObject({ service: 'auth-service', role: 'NONE' });
    expect(routeFor('GET', '/api/auth/.well-known/jwks.json')).toMatchObject({
      service: 'auth-service',
      role: 'NONE',
    });
    expect(routeFor('POST', '/api/users/signup')).toMatchObject({ service: 'user-service', role: 'NONE' });
    expect(routeFor('GET', '/api/users/me')).toMatchObject({ service: 'user-service', role: 'USER' });
    expect(routeFor('GET', '/api/admin/users')).toMatchObject({ service: 'user-service', role: 'ADMIN' });
    expect(routeFor('POST', '/api/admin/auth/keys/rotate')).toMatchObject({
      service: 'auth-service',
      role: 'ADMIN',
    });
    expect(routeFor('GET', '/api/products/images/1.png')).toMatchObject({
      service: 'product-service',
      role: 'NONE',
    });
    expect(routeFor('GET', '/api/catalog/products')).toMatchObject({
      service: 'catalog-service',
      role: 'NONE',
    });
    expect(routeFor('POST', '/api/catalog/products')).toBe('method-not-allowed');
    for (const area of ['orders', 'payments', 'promotion', 'shipping']) {
      const service = `${area === 'orders' ? 'order' : area === 'payments' ? 'payment' : area}-service`;
      expect(routeFor('GET', `/api/${area}/1`)).toMatchObject({ service, role: 'USER' });
      expect(routeFor('GET', `/api/admin/${area}/1`)).toMatchObject({ service, role: 'ADMIN' });
    }
    expect(routeFor('GET', '/ws/chat')).toMatchObject({ service: 'chat-service', role: 'USER' });
    expect(routeFor('GET', '/ws/notifications')).toMatchObject({
      service: 'notification-service',
      role: 'USER',
    });
  });

  it('counts logins and sign-ups per address, a token or not, and trusts no proxy unless told', () => {
    const signup = settings.routes.match('POST', '/api/users/signup');
    expect(signup.kind === 'route' && signup.route.rateLimit).toBe('auth');
    expect(settings.rateLimits.auth!.perAddress).toBe(true);
    expect(parseTrustedProxies(gateway.trustedProxies)).toEqual([]);
  });

  it('limits logins more tightly than the rest, and lets the Vite dev server in', () => {
    const login = settings.routes.match('POST', '/api/auth/login');
    expect(login.kind === 'route' && login.route.rateLimit).toBe('auth');
    expect(settings.rateLimits.auth!.capacity).toBeLessThan(settings.rateLimits.default!.capacity);
    expect(settings.cors.allowedOrigins).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
    expect(settings.cors.exposedHeaders).toEqual(
      expect.arrayContaining(['x-trace-id', 'retry-after', 'location']),
    );
    // Cross-origin clients must be able to send an Idempotency-Key when placing orders.
    expect(settings.cors.allowedHeaders).toContain('idempotency-key');
  });
});
