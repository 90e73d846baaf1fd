/**
 * The partition failed attempts from an address count against: an IPv4 address as it is, an IPv6
 * address by its /64 (one subscriber usually holds a whole /64, so counting single addresses in it
 * would let one attacker try 2^64 times). IPv4-mapped IPv6 (`::ffff:192.0.2.1`, as Node reports
 * IPv4 peers on a dual-stack socket) counts as the IPv4 address. Anything else is not an address.
 */
export function addressPartition(address: string | undefined): string | undefined {
  const text = address?.trim().toLowerCase();
  if (!text) return undefined;
  const mapped = text.match(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/)?.[1];
  const ipv4 = mapped ?? text;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ipv4)) {
    const octets = ipv4.split('.').map(Number);
    return octets.every((octet) => octet <= 255) ? octets.join('.') : undefined;
  }
  const groups = ipv6Groups(text.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : undefined;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros; undefined if it is not one. */
function ipv6Groups(text: string): string[] | undefined {
  if (!/^[0-9a-f:.]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  let left = parse(head);
  let right = tail === undefined ? [] : parse(tail);
  // An embedded IPv4 tail (::ffff:1.2.3.4 handled above; 64:ff9b::1.2.3.4 here) fills two groups.
  const last = (tail === undefined ? left : right).at(-1);
  if (last?.includes('.')) {
    const octets = last.split('.').map(Number);
    if (octets.length !== 4 || octets.some((octet) => !Number.isInteger(octet) || octet > 255)) return undefined;
    const groups = [((octets[0]! << 8) | octets[1]!).toString(16), ((octets[2]! << 8) | octets[3]!).toString(16)];
    if (tail === undefined) left = [...left.slice(0, -1), ...groups];
    else right = [...right.slice(0, -1), ...groups];
  }
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  if (groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => group.replace(/^0+(?=.)/, ''));
}
