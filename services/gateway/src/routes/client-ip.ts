import type { FastifyRequest } from 'fastify';
import { countClient } from '../domain/client-address.ts';

/** A proxy that names clients by no address does so on every request: one warning per this long. */
const WARN_EVERY_MS = 10 * 60_000;
let warnedAt = -Infinity;

/**
 * The address the request's client is counted by (client-address.ts). When the nearest trusted proxy
 * named the client by no address, the client is counted by that proxy, with a warning now and then:
 * the proxy's X-Forwarded-For setting needs fixing.
 */
export function countedClientIp(req: FastifyRequest): string {
  const counted = countClient(req.ips ?? [req.ip]);
  if (counted.unreadable !== undefined && Date.now() - warnedAt >= WARN_EVERY_MS) {
    warnedAt = Date.now();
    req.log.warn(
      { forwardedFor: counted.unreadable, countedAs: counted.address },
      'a trusted proxy named the client by no IP address: counting it by that proxy',
    );
  }
  return counted.address;
}
