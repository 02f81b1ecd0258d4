/**
 * Which IP addresses a webhook may reach: public unicast only. The ranges are IANA's
 * special-purpose registries (RFC 6890 and its updates): an address in one of them is private,
 * loopback, link-local, shared (carrier NAT), reserved for documentation or benchmarks, multicast,
 * or a tunnel that embeds another address, and our functions must not be made to call it (SSRF).
 */

/** IPv4 ranges that are not public unicast, as [first octets, prefix length]. */
const nonPublicV4: readonly (readonly [readonly number[], number])[] = [
  [[0], 8], // "this network"
  [[10], 8], // private
  [[100, 64], 10], // shared address space (carrier-grade NAT)
  [[127], 8], // loopback
  [[169, 254], 16], // link-local, the instance metadata service among them
  [[172, 16], 12], // private
  [[192, 0, 0], 24], // IETF protocol assignments (192.0.0.170: NAT64 discovery)
  [[192, 0, 2], 24], // documentation
  [[192, 88, 99], 24], // 6to4 relay anycast
  [[192, 168], 16], // private
  [[198, 18], 15], // benchmarking
  [[198, 51, 100], 24], // documentation
  [[203, 0, 113], 24], // documentation
  [[224], 4], // multicast
  [[240], 4], // reserved, broadcast
];

/** IPv6 ranges inside global unicast (2000::/3) that are not public, as [first bytes, prefix length]. */
const nonPublicV6: readonly (readonly [readonly number[], number])[] = [
  [[0x20, 0x01, 0x00], 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0x3f, 0xff, 0x00], 20], // documentation
];

/** Parses dotted-quad IPv4 (the form URL and DNS give), or undefined. */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets = parts.map((part) => (/^\d{1,3}$/.test(part) ? Number(part) : Number.NaN));
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

/** Parses IPv6 (with or without brackets and zone id, `::` and a dotted tail) to 16 bytes, or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (!bare.includes(':')) return undefined;
  const halves = bare.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const words: number[] = [];
    const pieces = half.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        words.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
        words.push(Number.parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return words;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const words = [...head, ...new Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}

function inRange(bytes: readonly number[], [prefix, length]: readonly [readonly number[], number]): boolean {
  for (let bit = 0; bit < length; bit += 8) {
    const mask = length - bit >= 8 ? 0xff : (0xff << (8 - (length - bit))) & 0xff;
    if (((bytes[bit / 8] ?? 0) & mask) !== ((prefix[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

/** The IPv4 address an IPv6 address carries, for the forms that route to it: mapped, NAT64, 6to4. */
function embeddedV4(bytes: readonly number[]): number[] | undefined {
  const startsWith = (prefix: readonly number[]) => prefix.every((byte, index) => bytes[index] === byte);
  if (startsWith([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff])) return bytes.slice(12); // ::ffff:0:0/96
  if (startsWith([0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0])) return bytes.slice(12); // 64:ff9b::/96
  if (startsWith([0x20, 0x02])) return bytes.slice(2, 6); // 6to4, 2002::/16
  return undefined;
}

/** Whether an IP address (v4 or v6) is public unicast. Anything that is not an address is not. */
export function isPublicAddress(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4) return !nonPublicV4.some((range) => inRange(v4, range));
  const v6 = parseIpv6(address);
  if (!v6) return false;
  const carried = embeddedV4(v6);
  if (carried) return isPublicAddress(carried.join('.'));
  // Public unicast is 2000::/3; loopback, unique-local, link-local and multicast lie outside it.
  return inRange(v6, [[0x20], 3]) && !nonPublicV6.some((range) => inRange(v6, range));
}

/** Whether an IP address is this machine's: 127.0.0.0/8, ::1 (and ::ffff:127.x). */
export function isLoopbackAddress(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4) return v4[0] === 127;
  const v6 = parseIpv6(address);
  if (!v6) return false;
  if (v6.slice(0, 12).every((byte, index) => byte === (index < 10 ? 0 : 0xff))) return v6[12] === 127;
  return v6.every((byte, index) => byte === (index === 15 ? 1 : 0));
}

/** Whether a text is an IP address literal (v4 dotted quad, or v6 with or without brackets). */
export function isIpAddress(text: string): boolean {
  return parseIpv4(text) !== undefined || parseIpv6(text) !== undefined;
}
