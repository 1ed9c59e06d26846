/** Characters of token-like runs; a secret made only of them is found by the token pass. */
const TOKEN_CHAR = /[A-Za-z0-9_\-.~+/]/;

/** Secrets that share the text up to and including their first anchor character. */
interface Group {
  /** The lengths of the group's secrets, longest first (the longest match wins). */
  lengths: number[];
  /** secret → what replaces it */
  readonly masks: Map<string, string>;
}

/**
 * One distinct position of the anchor inside secrets, with the characters those secrets start
 * with and have just before the anchor (ASCII; others always pass): a cheap test before a lookup.
 */
interface Offset {
  readonly offset: number;
  readonly first: Uint8Array;
  readonly before: Uint8Array;
}

interface Match {
  readonly start: number;
  readonly end: number;
  readonly mask: string;
}

/**
 * Finds registered secrets that hold a character outside the token alphabet (`appid:secret`,
 * `user@host!pw`, `Bearer sk-…`) anywhere in a text. Each secret is anchored at its first such
 * character: the text up to and including it names the secret's group. A text is scanned once;
 * at each character that anchors some secret, one lookup is made per distinct anchor offset,
 * and in a matching group one per distinct length. So the cost of a line depends on the line
 * and on the shapes of the secrets, not on how many there are (100,000 `appid:secret` keys of
 * one shape cost one lookup per `:`).
 */
export class AnchoredSecrets {
  private readonly groups = new Map<string, Group>();
  /** Which UTF-16 code units anchor at least one secret. */
  private anchors = new Uint8Array(0);
  /** The distinct positions of the anchor inside the secrets, ascending. */
  private offsets: Offset[] = [];

  get size(): number {
    return this.groups.size;
  }

  /** Registers a secret with the text that replaces it; false when it has no anchor character. */
  add(secret: string, mask: string): boolean {
    const offset = anchorOffset(secret);
    if (offset === -1) return false;
    const key = secret.slice(0, offset + 1);
    let group = this.groups.get(key);
    if (!group) {
      group = { lengths: [], masks: new Map() };
      this.groups.set(key, group);
    }
    if (!group.masks.has(secret) && !group.lengths.includes(secret.length)) {
      group.lengths = [...group.lengths, secret.length].sort((a, b) => b - a);
    }
    group.masks.set(secret, mask);
    this.markAnchor(secret.charCodeAt(offset));
    this.markOffset(offset, secret);
    return true;
  }

  clear(): void {
    this.groups.clear();
    this.anchors = new Uint8Array(0);
    this.offsets = [];
  }

  /** The text with every registered secret replaced by its mask. */
  redact(text: string): string {
    if (this.groups.size === 0) return text;
    const anchors = this.anchors;
    let out = '';
    let copied = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= anchors.length || anchors[code] === 0) continue;
      const found = this.matchAt(text, i, copied);
      if (!found) continue;
      out += text.slice(copied, found.start) + found.mask;
      copied = found.end;
      i = found.end - 1;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }

  /** A secret whose anchor is at `anchor` and which starts at or after `from`. */
  private matchAt(text: string, anchor: number, from: number): Match | undefined {
    for (const { offset, first, before } of this.offsets) {
      const start = anchor - offset;
      if (start < from) return undefined;
      if (
        offset > 0 &&
        !(passes(first, text.charCodeAt(start)) && passes(before, text.charCodeAt(anchor - 1)))
      )
        continue;
      const group = this.groups.get(text.slice(start, anchor + 1));
      if (!group) continue;
      for (const length of group.lengths) {
        const end = start + length;
        if (end > text.length) continue;
        const mask = group.masks.get(text.slice(start, end));
        if (mask !== undefined) return { start, end, mask };
      }
    }
    return undefined;
  }

  private markOffset(offset: number, secret: string): void {
    let entry = this.offsets.find((o) => o.offset === offset);
    if (!entry) {
      entry = { offset, first: new Uint8Array(128), before: new Uint8Array(128) };
      this.offsets = [...this.offsets, entry].sort((a, b) => a.offset - b.offset);
    }
    if (offset === 0) return;
    mark(entry.first, secret.charCodeAt(0));
    mark(entry.before, secret.charCodeAt(offset - 1));
  }

  private markAnchor(code: number): void {
    if (code >= this.anchors.length) {
      const grown = new Uint8Array(code < 128 ? 128 : 65_536);
      grown.set(this.anchors);
      this.anchors = grown;
    }
    this.anchors[code] = 1;
  }
}

/** The index of the secret's first character outside the token alphabet, or -1. */
function anchorOffset(secret: string): number {
  for (let i = 0; i < secret.length; i++) if (!TOKEN_CHAR.test(secret[i]!)) return i;
  return -1;
}

function mark(ascii: Uint8Array, code: number): void {
  if (code < ascii.length) ascii[code] = 1;
}

function passes(ascii: Uint8Array, code: number): boolean {
  return code >= ascii.length || ascii[code] === 1;
}
