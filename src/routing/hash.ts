/**
 * A fast, well-mixed 32-bit string hash: FNV-1a over UTF-16 code units, then murmur3's
 * finaliser so that similar strings ("node#1", "node#2") land far apart on a hash ring.
 */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable position in [0, 1) for a string: sticky choices (traffic split) use it. */
export function unitHash(text: string, seed = 0): number {
  return hash32(text, seed) / 0x1_0000_0000;
}
