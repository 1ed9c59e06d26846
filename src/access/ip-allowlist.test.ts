import { describe, expect, it } from 'vitest';
import { IpAllowlist, isCidrOrAddress } from './ip-allowlist';

describe('the IP allowlist', () => {
  const list = new IpAllowlist(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32']);

  it('matches IPv4 ranges, single addresses and IPv6 ranges', () => {
    expect(list.allows('10.1.2.3')).toBe(true);
    expect(list.allows('192.0.2.7')).toBe(true);
    expect(list.allows('192.0.2.8')).toBe(false);
    expect(list.allows('2001:db8::1')).toBe(true);
    expect(list.allows('2001:db9::1')).toBe(false);
  });

  it('matches IPv4-mapped IPv6 peers against IPv4 ranges', () => {
    expect(list.allows('::ffff:10.9.9.9')).toBe(true);
    expect(list.allows('::ffff:11.0.0.1')).toBe(false);
  });

  it('refuses what is not an address', () => {
    expect(list.allows('')).toBe(false);
    expect(list.allows('not-an-ip')).toBe(false);
    expect(isCidrOrAddress('10.0.0.0/33')).toBe(false);
    expect(isCidrOrAddress('::1')).toBe(true);
  });
});
