import ipaddr from 'ipaddr.js';

/** `[2001:db8::1]:443`, `[2001:db8::1]`: the address in the brackets. */
const BRACKETED = /^\[([^\]]+)\](?::\d{1,5})?$/;
/** `192.0.2.1:443`: an IPv4 address with the source port some proxies append. */
const IPV4_WITH_PORT = /^([\d.]+):\d{1,5}$/;

/**
 * The address a client is counted by (rate limits here, login throttling at auth-service, which gets it
 * as X-Forwarded-For), or undefined when `text` is no address: an IPv4 address whole, also when it
 * arrives IPv4-mapped (`::ffff:192.0.2.1`, on a dual-stack socket) or NAT64-embedded (`64:ff9b::192.0.2.1`,
 * RFC 6052: each IPv4 client behind the translator is its own client); any other IPv6 address as the
 * first address of its /64, because a host picks addresses within its /64 freely (privacy addresses), so
 * counting each would count nothing. A port some proxies append (`192.0.2.1:443`, `[2001:db8::1]:443`)
 * and a zone id (`fe80::1%eth0`, the link it was seen on) are not part of the client: dropped.
 */
export function countedAddress(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const host = BRACKETED.exec(text)?.[1] ?? IPV4_WITH_PORT.exec(text)?.[1] ?? text;
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return ipaddr.IPv4.parse(host).toString();
  const address = host.split('%')[0]!;
  if (!ipaddr.IPv6.isValid(address)) return undefined;
  const ipv6 = ipaddr.IPv6.parse(address);
  if (ipv6.isIPv4MappedAddress()) return ipv6.toIPv4Address().toString();
  // The IPv4 address is the last 32 bits, as in the well-known prefix's /96.
  if (ipv6.range() === 'rfc6052') {
    const [high, low] = ipv6.parts.slice(6) as [number, number];
    return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]).toString();
  }
  return new ipaddr.IPv6([...ipv6.parts.slice(0, 4), 0, 0, 0, 0]).toRFC5952String();
}

export interface CountedClient {
  /** Always an address, so that auth-service (which believes only an address) counts the same client. */
  address: string;
  /** What the nearest trusted proxy named the client by when that was no address. */
  unreadable?: string;
}

/** Counted when the request has no address at all (its connection is gone). */
const NO_ADDRESS = '0.0.0.0';

/**
 * The client of a request, counted as `countedAddress` says, from its hops as Fastify lists them
 * (`request.ips`): the connection's peer first, then the X-Forwarded-For entries of trusted proxies from
 * right to left, the client last. A client the nearest trusted proxy names by no address (`unknown`, an
 * obfuscated name) is counted by that proxy's address: a trusted hop is always an address.
 */
export function countClient(hops: readonly (string | undefined)[]): CountedClient {
  const client = hops.at(-1);
  const counted = countedAddress(client);
  if (counted) return { address: counted };
  for (let i = hops.length - 2; i >= 0; i--) {
    const hop = countedAddress(hops[i]);
    if (hop) return { address: hop, unreadable: client ?? '' };
  }
  return { address: NO_ADDRESS, ...(client ? { unreadable: client } : {}) };
}

/**
 * `countedAddress`, else `ip` as it is. For a caller that has only the client's address, not its hops
 * (the WebSocket handshake, until it uses `countClient` too).
 */
export function clientAddress(ip: string | undefined): string {
  return countedAddress(ip) ?? ip ?? 'unknown';
}

/**
 * An IP address or a CIDR range of them (`10.0.0.0/8`, `fd00::/8`), as `gateway.trustedProxies` lists them.
 * Read by the same library Fastify's trustProxy matches with, so an entry means there what it says here;
 * IPv4 only as four decimal parts, because that library reads `010.0.0.1` as octal (8.0.0.1) and `10.1`
 * as 10.0.0.1.
 */
export function isAddressOrRange(text: string): boolean {
  if (text.includes(':')) return ipaddr.IPv6.isValid(text) || ipaddr.IPv6.isValidCIDR(text);
  return ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv4.isValidCIDRFourPartDecimal(text);
}
