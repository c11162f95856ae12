import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { asRole, type Identity, type Role, SERVICE_TOKEN_HEADER } from './identity-types.ts';

export { SERVICE_TOKEN_HEADER };

/**
 * Who may call whom (docs/adr/0005-service-credentials.md). Every deployment has one secret
 * (SAGAMART_DEPLOYMENT_SECRET); keys for each purpose are derived from it with HKDF:
 * - service tokens: HS256 JWTs, `sub` = calling service, `aud` = target, a 60 s life, optionally
 *   carrying the user the call is made for (the gateway's verified caller, propagated);
 * - HTTP Basic credentials for the config and discovery servers (the Spring Cloud way).
 */
export const PLATFORM_USER = 'sagamart';
const TOKEN_TTL_SECONDS = 60;
/** Clock skew allowed between services when checking `exp` and `nbf`. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** A verified caller: the service that sent the request and the user it acts for, if any. */
export interface Caller {
  service: string;
  identity: Identity | undefined;
}

export interface DeploymentSecrets {
  current: string;
  /** Still accepted while a rotation rolls out (SAGAMART_DEPLOYMENT_SECRET_PREVIOUS). */
  previous?: string | undefined;
}

interface TokenClaims {
  sub: string;
  aud: string | string[];
  iat: number;
  exp: number;
  user?: { id: string; email: string; role: Role };
}

const derive = (secret: string, purpose: string) =>
  Buffer.from(hkdfSync('sha256', secret, 'sagamart-deployment', purpose, 32));
const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const JWT_HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/** A base64url JSON object of a token, or undefined when it is not one. */
function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The Basic password of the config and discovery servers for a deployment secret. */
export function platformPassword(secret: string): string {
  return derive(secret, 'platform-basic').toString('base64url');
}

/** A fresh secret, for a deployment's first start. */
export function generateDeploymentSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Most tokens remembered per second (minted, and verified), so a flood of distinct ones stays bounded. */
const MEMO_LIMIT = 10_000;

/**
 * What one second's calls computed, by key: a token's claims only change from one second to the next
 * (`iat`, `exp`), so within a second the same call has the same answer.
 */
class PerSecondMemo<T> {
  private second = -1;
  private current = new Map<string, T>();
  private previous = new Map<string, T>();

  /** `keepPrevious`: the last second's entries still count (a verified token is good for longer). */
  get(key: string, now: number, keepPrevious: boolean): T | undefined {
    this.advance(now);
    return this.current.get(key) ?? (keepPrevious ? this.previous.get(key) : undefined);
  }

  set(key: string, now: number, value: T): void {
    this.advance(now);
    if (this.current.size < MEMO_LIMIT) this.current.set(key, value);
  }

  private advance(now: number): void {
    if (now === this.second) return;
    this.previous = now === this.second + 1 ? this.current : new Map();
    this.current = new Map();
    this.second = now;
  }
}

export class DeploymentCredentials {
  private readonly signingKey: Buffer;
  private readonly verifyKeys: Buffer[];
  private readonly passwords: Buffer[];
  /**
   * Minting and verifying cost an HMAC and JSON work on every call between services (the gateway
   * mints one per proxied request, and the upstream verifies it); the same token within a second is
   * signed and checked once (docs/performance.md).
   */
  private readonly minted = new PerSecondMemo<string>();
  private readonly verified = new PerSecondMemo<{ caller: Caller; exp: number; nbf: number | undefined }>();

  constructor(
    /** This service's name: `sub` of the tokens it sends, the audience it accepts. */
    readonly service: string,
    secrets: DeploymentSecrets,
  ) {
    const all = [secrets.current, ...(secrets.previous ? [secrets.previous] : [])];
    this.signingKey = derive(secrets.current, 'service-token');
    this.verifyKeys = all.map((s) => derive(s, 'service-token'));
    this.passwords = all.map((s) => Buffer.from(platformPassword(s)));
  }

  /**
   * A signed service token for a call to `audience`, optionally on behalf of a user. Signed
   * synchronously (HMAC-SHA256 over the compact JWS), so callers need not await it.
   */
  mint(audience: string | string[], identity?: Identity, ttlSeconds = TOKEN_TTL_SECONDS): string {
    const now = Math.floor(Date.now() / 1000);
    // Everything the token says: the same key within the same second is the same token.
    const key = JSON.stringify([audience, ttlSeconds, identity?.userId, identity?.email, identity?.role]);
    const known = this.minted.get(key, now, false);
    if (known) return known;
    const token = this.sign(audience, identity, ttlSeconds, now);
    this.minted.set(key, now, token);
    return token;
  }

  private sign(audience: string | string[], identity: Identity | undefined, ttlSeconds: number, now: number) {
    const claims: TokenClaims = { sub: this.service, aud: audience, iat: now, exp: now + ttlSeconds };
    if (identity) claims.user = { id: identity.userId, email: identity.email, role: identity.role };
    const signingInput = `${JWT_HEADER}.${base64url(JSON.stringify(claims))}`;
    return `${signingInput}.${createHmac('sha256', this.signingKey).update(signingInput).digest('base64url')}`;
  }

  /** The headers that authenticate a call to `target` (and carry the user it is made for). */
  headersFor(target: string, identity?: Identity): Record<string, string> {
    return { [SERVICE_TOKEN_HEADER]: this.mint(target, identity) };
  }

  /**
   * The caller a token proves, or undefined when it is forged, expired or meant for another service.
   * Verified synchronously with node:crypto (HMAC-SHA256 and a constant-time compare), as `mint`
   * signs: every request to every service passes here, and WebCrypto's async HMAC (jose) cost the
   * order path ~8 % of order-service's CPU (docs/performance.md).
   */
  verify(token: string): Caller | undefined {
    const nowMs = Date.now();
    const second = Math.floor(nowMs / 1000);
    let checked = this.verified.get(token, second, true);
    if (!checked) {
      checked = this.check(token);
      if (!checked) return undefined;
      this.verified.set(token, second, checked);
    }
    if (!this.current(checked, nowMs / 1000)) return undefined;
    // A copy per request: a remembered caller is never shared with a handler that might change it.
    const { service, identity } = checked.caller;
    return { service, identity: identity && { ...identity } };
  }

  /** Within its life, with the allowed clock skew. */
  private current(token: { exp: number; nbf: number | undefined }, now: number): boolean {
    if (token.exp <= now - CLOCK_TOLERANCE_SECONDS) return false;
    return token.nbf === undefined || token.nbf <= now + CLOCK_TOLERANCE_SECONDS;
  }

  /** Signature, header and claims; the time checks are the caller's (`current`). */
  private check(token: string): { caller: Caller; exp: number; nbf: number | undefined } | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, body, signature] = parts as [string, string, string];
    const given = Buffer.from(signature, 'base64url');
    const signed = this.verifyKeys.some((key) => {
      const expected = createHmac('sha256', key).update(`${header}.${body}`).digest();
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!signed) return undefined;
    const claims = parseJson(header) as { alg?: unknown; crit?: unknown } | undefined;
    if (claims?.alg !== 'HS256' || claims.crit !== undefined) return undefined;
    const payload = parseJson(body) as (Partial<TokenClaims> & { nbf?: unknown }) | undefined;
    if (!payload || typeof payload.sub !== 'string') return undefined;
    if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number') return undefined;
    if (payload.nbf !== undefined && typeof payload.nbf !== 'number') return undefined;
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(this.service)) return undefined;
    const user = payload.user;
    const identity =
      user && typeof user === 'object' && typeof user.id === 'string' && asRole(user.role)
        ? { userId: user.id, email: typeof user.email === 'string' ? user.email : '', role: user.role }
        : undefined;
    return { caller: { service: payload.sub, identity }, exp: payload.exp, nbf: payload.nbf };
  }

  /** `Authorization` for the config and discovery servers. */
  basicAuthorization(): string {
    return `Basic ${Buffer.from(`${PLATFORM_USER}:${this.passwords[0]!.toString()}`).toString('base64')}`;
  }

  /** Whether an `Authorization` header carries the platform's Basic credentials. */
  checkBasic(authorization: string | undefined): boolean {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
    if (!match) return false;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || decoded.slice(0, colon) !== PLATFORM_USER) return false;
    const given = Buffer.from(decoded.slice(colon + 1));
    return this.passwords.some((p) => p.length === given.length && timingSafeEqual(p, given));
  }
}

/**
 * A URL with credentials in it (`http://user:pass@host:8761`, as Eureka clients write it) split into
 * the bare URL and its `Authorization` header; fetch refuses URLs with credentials.
 */
export function splitUrlCredentials(url: string): { url: string; authorization: string | undefined } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { url, authorization: undefined };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return {
    url: parsed.toString().replace(/\/$/, url.endsWith('/') ? '/' : ''),
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  };
}
