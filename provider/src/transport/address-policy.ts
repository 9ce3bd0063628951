/**
 * Which addresses an outbound call may reach. A webhook URL comes from a tenant's Secret, so the
 * provider refuses loopback, private, link-local (cloud metadata), unique-local and other
 * non-public addresses unless the platform admits them in the provider config's allow-list. The
 * decision is made on the resolved address before a connection opens (see http.ts), so a name that
 * resolves, or re-resolves, to a private address is refused too.
 */
import { BlockList, isIP } from 'node:net';

/** Decides whether a call to `hostname` may connect to `address` (an IP the name resolved to). */
export type AddressPolicy = (hostname: string, address: string) => boolean;

/** Address ranges that are not the public internet. */
const NON_PUBLIC: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network"; 0.0.0.0 reaches the local host
  ['10.0.0.0', 8, 'ipv4'], // private
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'], // loopback
  ['169.254.0.0', 16, 'ipv4'], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12, 'ipv4'], // private
  ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['192.168.0.0', 16, 'ipv4'], // private
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 128, 'ipv6'], // unspecified
  ['::1', 128, 'ipv6'], // loopback
  ['64:ff9b::', 96, 'ipv6'], // NAT64, which embeds an IPv4 address
  ['fc00::', 7, 'ipv6'], // unique-local
  ['fe80::', 10, 'ipv6'], // link-local
  ['fec0::', 10, 'ipv6'], // site-local (deprecated)
  ['ff00::', 8, 'ipv6'], // multicast
];

const nonPublic = new BlockList();
for (const [network, prefix, family] of NON_PUBLIC) nonPublic.addSubnet(network, prefix, family);

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1 or ::ffff:a00:1) as the IPv4 address it is. */
export function unmapped(address: string): string {
  const match = /^::ffff:(.+)$/i.exec(address);
  if (match === null) return address;
  const tail = match[1] ?? '';
  if (isIP(tail) === 4) return tail;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(tail);
  if (hex === null) return address;
  const high = parseInt(hex[1] ?? '0', 16);
  const low = parseInt(hex[2] ?? '0', 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether an IP address is outside the ranges above: routable on the public internet. */
export function isPublicAddress(address: string): boolean {
  const plain = unmapped(address);
  const family = isIP(plain);
  if (family === 0) return false;
  return !nonPublic.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

/** An allow-list entry that is not a host name, an IP address or a CIDR. */
export class AllowListError extends Error {
  override name = 'AllowListError';
  constructor(
    /** The entry and what is wrong with it, e.g. `spec.webhook.allowedTargets[1] "x": ...`. */
    readonly problem: string,
  ) {
    super(`cannot use ${problem}`);
  }
}

/**
 * The policy of an allow-list: public addresses always, non-public ones only when the entry names the
 * URL's host (case-insensitive) or a CIDR or address that holds the resolved address. `field` names
 * the list in errors, for example `spec.webhook.allowedTargets`.
 */
export function allowListPolicy(entries: readonly string[], field: string): AddressPolicy {
  const hosts = new Set<string>();
  const networks = new BlockList();
  entries.forEach((entry, index) => {
    const [network, prefixText, ...rest] = entry.split('/');
    const family = isIP(network ?? '');
    if (family === 0) {
      if (
        prefixText !== undefined ||
        !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry)
      ) {
        throw new AllowListError(
          `${field}[${index}] "${entry}": must be a host name, an IP address or a CIDR such as 10.0.0.0/8`,
        );
      }
      hosts.add(entry.toLowerCase());
      return;
    }
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (rest.length > 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max || prefixText === '') {
      throw new AllowListError(`${field}[${index}] "${entry}": the prefix length must be 0 to ${max}`);
    }
    networks.addSubnet(network ?? '', prefix, family === 4 ? 'ipv4' : 'ipv6');
  });
  return (hostname, address) => {
    if (isPublicAddress(address)) return true;
    if (hosts.has(hostname.toLowerCase().replace(/^\[|\]$/g, ''))) return true;
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && networks.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  };
}
