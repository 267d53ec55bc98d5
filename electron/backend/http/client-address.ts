import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { convertIPv6ToBinary } from 'hono/utils/ipaddr';

/** Who is asking, as far as the backend can tell: an IP address, or "unknown". */
export type ClientAddressOf = (c: Context) => string;

const UNKNOWN = 'unknown';

/** `::ffff:192.0.2.1` → `192.0.2.1`, so one client has one name whichever way it connects. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/iu.exec(address);
  return mapped?.[1] ?? address.toLowerCase();
}

/**
 * The reverse proxies whose X-Forwarded-For is believed: addresses (`10.0.0.5`, `::1`) or
 * networks (`10.0.0.0/8`). Throws a TypeError naming the first entry that is neither.
 */
export function trustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix, ...rest] = entry.trim().split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? null : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      rest.length > 0 ||
      (bits !== null && (!/^\d{1,3}$/u.test(prefix ?? '') || bits > maxBits))
    ) {
      throw new TypeError(`trustProxy: "${entry}" is not an IP address or network`);
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === null) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
}

/**
 * The client's address: the socket's peer, unless that peer is one of `trustProxy`. Then it is
 * the right-most address in X-Forwarded-For that is not a trusted proxy, as each proxy appends
 * the address it was reached from and everything to the left of that came from the client, who
 * can write anything there. With no trusted proxy configured the header is never read.
 */
export function createClientAddress(trustProxy: readonly string[]): ClientAddressOf {
  const trusted = trustedProxies(trustProxy);
  const isTrusted = (address: string): boolean => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (c) => {
    let peer: string | undefined;
    try {
      peer = getConnInfo(c).remote.address;
    } catch {
      peer = undefined;
    }
    if (peer === undefined || isIP(peer) === 0) return UNKNOWN;
    let client = plain(peer);
    if (trustProxy.length === 0 || !isTrusted(client)) return client;
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim());
    for (let i = hops.length - 1; i >= 0; i -= 1) {
      const hop = hops[i] ?? '';
      // A hop that is not an address was not written by a proxy we trust: stop at the last one.
      if (isIP(hop) === 0) return client;
      client = plain(hop);
      if (!isTrusted(client)) return client;
    }
    return client;
  };
}

/**
 * The key a client's failures are counted under. An IPv6 host usually holds a whole /64 and can
 * pick any address in it, so IPv6 clients are counted by /64; IPv4 clients by address.
 */
export function clientKey(address: string): string {
  if (isIP(address) !== 6) return address;
  try {
    const network = convertIPv6ToBinary(address) >> 64n;
    const groups = [48n, 32n, 16n, 0n].map((shift) => ((network >> shift) & 0xffffn).toString(16));
    return `${groups.join(':')}::/64`;
  } catch {
    // An address hono cannot read (a zone index such as fe80::1%eth0) counts on its own.
    return address;
  }
}
