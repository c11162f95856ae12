import ipaddr from 'ipaddr.js';

/**
 * The address a client is counted by (rate limits here, login throttling at auth-service, which gets it
 * as X-Forwarded-For): an IPv4 address whole, also when it arrives IPv4-mapped (`::ffff:192.0.2.1`, on a
 * dual-stack socket); an IPv6 address as the first address of its /64, because a host picks addresses
 * within its /64 freely (privacy addresses), so counting each would count nothing. Anything else is
 * returned as it is.
 */
export function clientAddress(ip: string | undefined): string {
  if (!ip) return 'unknown';
  // A zone id (`fe80::1%eth0`) names the link the address was seen on, not the client: dropped, any form.
  const address = ip.split('%')[0]!;
  if (!ipaddr.IPv6.isValid(address)) return ip;
  const ipv6 = ipaddr.IPv6.parse(address);
  if (ipv6.isIPv4MappedAddress()) return ipv6.toIPv4Address().toString();
  return new ipaddr.IPv6([...ipv6.parts.slice(0, 4), 0, 0, 0, 0]).toRFC5952String();
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
