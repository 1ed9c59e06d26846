import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** True for `10.0.0.0/8`, `2001:db8::/32` or a single address (`192.0.2.7`, `::1`). */
export function isCidrOrAddress(text: string): boolean {
  return ipaddr.isValidCIDR(text) || ipaddr.isValid(text);
}

/**
 * A client's IP allowlist: CIDR ranges and single addresses, IPv4 and IPv6. IPv4-mapped IPv6
 * addresses (`::ffff:192.0.2.7`, as Node reports IPv4 peers on a dual-stack socket) match
 * IPv4 ranges.
 */
export class IpAllowlist {
  private readonly ranges: Range[];

  constructor(entries: readonly string[]) {
    this.ranges = entries.map((entry) => {
      if (ipaddr.isValidCIDR(entry)) return ipaddr.parseCIDR(entry);
      const address = ipaddr.process(entry);
      return [address, address.kind() === 'ipv4' ? 32 : 128];
    });
  }

  allows(ip: string): boolean {
    if (!ipaddr.isValid(ip)) return false;
    const address = ipaddr.process(ip);
    for (const range of this.ranges) {
      if (range[0].kind() === address.kind() && address.match(range)) return true;
    }
    return false;
  }
}
