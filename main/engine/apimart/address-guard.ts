// Where a result download may connect. A result URL comes from the server, so it could name this
// machine, the local network or a cloud metadata address: unless the base URL is itself local (the
// simulator), such addresses are refused. The name is resolved first, every address checked, and
// the connection made to the checked address, so DNS cannot swap in a private one afterwards.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { buildConnector } from 'undici';
import { EngineFailure } from '../../contract/errors.ts';
import { badResponse } from './error-model.ts';

const LOCAL_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const LOCAL_V6: [string, number][] = [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
];
const LOCAL = new BlockList();
for (const [net, prefix] of LOCAL_V4) LOCAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of LOCAL_V6) LOCAL.addSubnet(net, prefix, 'ipv6');

/**
 * True for an IP address that is not on the public internet. IPv4 inside IPv6 is judged as the
 * IPv4 address it carries: mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
 */
export function isLocalAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  if (family === 4) return LOCAL.check(ip, 'ipv4');
  const inner = carriedIpv4(ip);
  return inner === undefined ? LOCAL.check(ip, 'ipv6') : isLocalAddress(inner);
}

/** The IPv4 address a NAT64 or 6to4 IPv6 address carries (BlockList judges mapped ones itself). */
function carriedIpv4(ip: string): string | undefined {
  const groups = ipv6Groups(ip);
  const at =
    groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)
      ? 6
      : groups[0] === 0x2002
        ? 1
        : -1;
  if (at < 0) return undefined;
  const [high = 0, low = 0] = groups.slice(at, at + 2);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit groups of a valid IPv6 address. */
function ipv6Groups(ip: string): number[] {
  const withoutV4 = ip.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    [(Number(a) << 8) | Number(b), (Number(c) << 8) | Number(d)]
      .map((n) => n.toString(16))
      .join(':'),
  );
  const [head = '', tail] = withoutV4.split('::');
  const parse = (part: string): number[] =>
    part ? part.split(':').map((g) => parseInt(g, 16)) : [];
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** A URL's hostname as an address: `[::1]` loses its brackets; names stay as they are. */
function bare(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** Whether a URL hostname (already normalised by URL: 2130706433 is 127.0.0.1) is local. */
export function isLocalHost(hostname: string, isLocal = isLocalAddress): boolean {
  const host = bare(hostname).toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && isLocal(host);
}

export interface AddressPolicy {
  /** Local addresses are allowed only when the base URL itself is local. */
  allowLocal: boolean;
  /** Which addresses count as local; tests treat a second loopback address as the local network. */
  isLocal?: (ip: string) => boolean;
  /** Name resolution; the default is the system's (dns.lookup). */
  resolve?: (hostname: string) => Promise<string[]>;
}

const systemResolve = async (hostname: string): Promise<string[]> =>
  (await lookup(hostname, { all: true })).map((entry) => entry.address);

/** The address to connect to for `hostname`, or an EngineFailure naming why there is none. */
export async function allowedAddress(hostname: string, policy: AddressPolicy): Promise<string> {
  const isLocal = policy.isLocal ?? isLocalAddress;
  const host = bare(hostname);
  const addresses = isIP(host) === 0 ? await (policy.resolve ?? systemResolve)(host) : [host];
  const allowed = policy.allowLocal ? addresses : addresses.filter((ip) => !isLocal(ip));
  if (allowed[0] === undefined) {
    throw new EngineFailure(
      badResponse(
        `APIMart gave a result address on this computer or a private network (${host}${addresses[0] && addresses[0] !== host ? `, ${addresses[0]}` : ''}), which GenQueue does not fetch from.`,
        false,
      ),
    );
  }
  return allowed[0];
}

/** An undici connector that connects only to an address `policy` allows, checked before connecting. */
export function guardedConnector(
  policy: AddressPolicy,
  options: buildConnector.BuildOptions,
): buildConnector.connector {
  const connect = buildConnector(options);
  return (target, callback) => {
    const name = bare(target.hostname);
    allowedAddress(name, policy).then(
      (address) =>
        connect(
          {
            ...target,
            hostname: address,
            // TLS still checks the certificate against the name, not the address.
            ...(isIP(name) === 0 && { servername: target.servername || name }),
          },
          callback,
        ),
      (error: Error) => callback(error, null),
    );
  };
}
