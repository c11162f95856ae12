import { SERVICE_TOKEN_HEADER } from '@sagamart/kit/pure';

/** Node's request headers (lower-case names), without importing node:http into pure code. */
type IncomingHttpHeaders = Record<string, string | string[] | undefined> & { host?: string };

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1): never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Identity and service-token headers are the gateway's to set, never a client's. */
export function isIdentityHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('x-user-') || lower === SERVICE_TOKEN_HEADER;
}

/** Removes every `x-user-*` and service-token header (Node lower-cases names, so any spelling is caught). */
export function stripIdentityHeaders(headers: IncomingHttpHeaders): void {
  for (const name of Object.keys(headers)) if (isIdentityHeader(name)) delete headers[name];
}

/** Hop-by-hop headers, plus any the sender listed in its `Connection` header. */
function connectionScoped(headers: IncomingHttpHeaders): Set<string> {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
  return new Set([...HOP_BY_HOP, ...named]);
}

export interface ForwardingFacts {
  /** The gateway's service token for the upstream, carrying the verified caller, if any. */
  credential: Record<string, string>;
  /** The address the client is counted by (client-address.ts). */
  clientIp: string;
  protocol: 'http' | 'https';
  requestId: string;
  /** The body is forwarded (otherwise its framing headers are dropped). */
  hasBody: boolean;
}

/** The headers sent upstream: the client's end-to-end headers, minus spoofed identity, plus forwarding facts. */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  facts: ForwardingFacts,
): Record<string, string> {
  const drop = connectionScoped(incoming);
  // Host comes from the upstream's URL; `Expect: 100-continue` was already answered by this server.
  drop.add('host');
  drop.add('expect');
  if (!facts.hasBody) drop.add('content-length');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || drop.has(name) || isIdentityHeader(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  // Replaces the client's own: of its hops only those a trusted proxy added were believed
  // (gateway.trustedProxies), and auth throttles logins by this one address.
  out['x-forwarded-for'] = facts.clientIp;
  out['x-forwarded-proto'] = facts.protocol;
  if (incoming.host) out['x-forwarded-host'] = incoming.host;
  out['x-request-id'] = facts.requestId;
  Object.assign(out, facts.credential);
  return out;
}

/** The headers for the upstream WebSocket handshake: as for HTTP, minus the client's own handshake fields. */
export function upstreamHandshakeHeaders(
  incoming: IncomingHttpHeaders,
  facts: ForwardingFacts,
): Record<string, string> {
  const out = upstreamRequestHeaders(incoming, { ...facts, hasBody: false });
  for (const name of Object.keys(out)) {
    if (name.startsWith('sec-websocket-') || name === 'authorization' || name === 'origin') delete out[name];
  }
  return out;
}

/** Headers the gateway sets itself on every answer; an upstream's copies are dropped. */
function gatewayOwned(name: string): boolean {
  return name.startsWith('access-control-') || name === 'x-trace-id' || name === 'x-request-id';
}

/** The upstream's response headers that go back to the client. */
export function downstreamResponseHeaders(
  upstream: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const drop = connectionScoped(upstream as IncomingHttpHeaders);
  const out: Record<string, string | string[]> = {};
  for (const [rawName, value] of Object.entries(upstream)) {
    const name = rawName.toLowerCase();
    if (value === undefined || drop.has(name) || gatewayOwned(name)) continue;
    out[name] = value;
  }
  return out;
}

/** Joins two `Vary` values without duplicates (CORS adds `Origin`, the upstream may add others). */
export function mergeVary(...values: Array<string | string[] | number | undefined>): string | undefined {
  const names = new Map<string, string>();
  for (const value of values) {
    if (value === undefined) continue;
    for (const name of String(value).split(',')) {
      const trimmed = name.trim();
      if (trimmed) names.set(trimmed.toLowerCase(), trimmed);
    }
  }
  if (names.has('*')) return '*';
  return names.size ? [...names.values()].join(', ') : undefined;
}

/**
 * Browsers cannot set headers on a WebSocket, so the token comes as `?access_token=` or as the
 * subprotocol pair `Sec-WebSocket-Protocol: bearer, <token>`.
 */
export function webSocketToken(accessTokenQuery: unknown, protocols: string | undefined): BearerToken {
  if (typeof accessTokenQuery === 'string' && accessTokenQuery !== '')
    return bearerToken(`Bearer ${accessTokenQuery}`);
  const offered = (protocols ?? '').split(',').map((p) => p.trim());
  const at = offered.findIndex((p) => p.toLowerCase() === 'bearer');
  if (at === -1) return { kind: 'none' };
  const token = offered[at + 1];
  return token ? bearerToken(`Bearer ${token}`) : { kind: 'malformed' };
}

/** Drops one query parameter (tokens must not reach logs or upstreams). */
export function withoutQueryParam(url: string, name: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  params.delete(name);
  const query = params.toString();
  return query ? `${url.slice(0, at)}?${query}` : url.slice(0, at);
}

export type BearerToken = { kind: 'none' } | { kind: 'token'; token: string } | { kind: 'malformed' };

/** Reads `Authorization: Bearer <token>`; any other scheme or shape is malformed. */
export function bearerToken(authorization: string | undefined): BearerToken {
  if (authorization === undefined || authorization === '') return { kind: 'none' };
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization.trim());
  return match ? { kind: 'token', token: match[1]! } : { kind: 'malformed' };
}
