/**
 * The address a client is counted by (rate limits here, login throttling at auth-service, which gets it
 * as X-Forwarded-For): an IPv4 address whole, also when it arrives IPv4-mapped (`::ffff:192.0.2.1`, on a
 * dual-stack socket); an IPv6 address as the first address of its /64, because a host picks addresses
 * within its /64 freely (privacy addresses), so counting each would count nothing. Anything else is
 * returned as it is.
 */
export function clientAddress(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const hextets = parseIpv6(ip);
  if (!hextets) return ip;
  if (isIpv4Mapped(hextets)) return ipv4Text(hextets[6]!, hextets[7]!);
  return ipv6Text([...hextets.slice(0, 4), 0, 0, 0, 0]);
}

/** The eight 16-bit groups of an IPv6 address (a zone id dropped), or undefined for anything else. */
function parseIpv6(text: string): number[] | undefined {
  let address = text.split('%')[0]!.toLowerCase();
  if (!address.includes(':')) return undefined;
  // A dotted IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
  const tail = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (tail) {
    const octets = tail.slice(2).map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    const [a, b, c, d] = octets as [number, number, number, number];
    address = `${tail[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined) => (half ? half.split(':') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...rest];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return all.map((g) => Number.parseInt(g, 16));
}

function isIpv4Mapped(hextets: number[]): boolean {
  return hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff;
}

function ipv4Text(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** RFC 5952's form: lower-case groups without leading zeros, the longest run of zero groups as `::`. */
function ipv6Text(hextets: number[]): string {
  let best = { at: -1, length: 1 };
  for (let at = 0; at < 8; ) {
    let end = at;
    while (end < 8 && hextets[end] === 0) end++;
    if (end - at > best.length) best = { at, length: end - at };
    at = end === at ? at + 1 : end;
  }
  const text = hextets.map((h) => h.toString(16));
  if (best.at === -1) return text.join(':');
  return `${text.slice(0, best.at).join(':')}::${text.slice(best.at + best.length).join(':')}`;
}

/** An IP address or a CIDR range of them (`10.0.0.0/8`, `fd00::/8`), as `gateway.trustedProxies` lists them. */
export function isAddressOrRange(text: string): boolean {
  const [address = '', prefix, ...more] = text.split('/');
  if (more.length > 0) return false;
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  const valid = ipv4 ? ipv4.slice(1).every((o) => Number(o) <= 255) : parseIpv6(address) !== undefined;
  if (!valid || prefix === undefined) return valid;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (ipv4 ? 32 : 128);
}
