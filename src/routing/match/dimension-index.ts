import type { ValueTest } from './pattern';

/** Distinct values remembered per dimension; past this the cache starts over (bounded memory). */
const MAX_CACHED_VALUES = 2_048;

/**
 * For one request dimension (model, path, host or method): the set of routes whose condition on
 * that dimension accepts a value, as a bitset (bit i = route i), computed once per distinct value
 * and cached. Routes without a condition on the dimension accept every value. Matching a request
 * is then an AND of a few cached bitsets: no regex runs and nothing is allocated once the values
 * have been seen, however many routes there are.
 */
export class DimensionIndex {
  private readonly cache = new Map<string, Uint32Array>();
  /** The mask for a request that lacks the value (no model, for instance). */
  readonly absentMask: Uint32Array;

  constructor(
    private readonly tests: readonly (ValueTest | undefined)[],
    private readonly words: number,
    /** Turns the raw value into what the tests compare (lower-cased host without port). */
    private readonly normalize: (value: string) => string = identity,
  ) {
    this.absentMask = this.build(undefined);
  }

  mask(value: string | undefined): Uint32Array {
    if (value === undefined) return this.absentMask;
    let mask = this.cache.get(value);
    if (mask === undefined) {
      if (this.cache.size >= MAX_CACHED_VALUES) this.cache.clear();
      mask = this.build(this.normalize(value));
      this.cache.set(value, mask);
    }
    return mask;
  }

  private build(value: string | undefined): Uint32Array {
    const mask = new Uint32Array(this.words);
    this.tests.forEach((test, route) => {
      if (test === undefined || (value !== undefined && test(value))) {
        mask[route >>> 5]! |= 1 << (route & 31);
      }
    });
    return mask;
  }
}

function identity(value: string): string {
  return value;
}
