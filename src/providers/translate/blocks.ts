import type { IrBlockKind, IrEvent, Origin } from '../ir';

/**
 * Keeps a decoder's blocks in the IR's order: one open at a time, sequential indices from 0.
 * Opening a block (or a delta of another kind) closes the one that is open.
 */
export class BlockSequencer {
  private next = 0;
  private open: { key: string; index: number; kind: IrBlockKind } | undefined;

  /** The index of the open block for `key`, opening one (and closing another) when needed. */
  ensure(
    out: IrEvent[],
    key: string,
    kind: IrBlockKind,
    extra: { id?: string; name?: string; data?: string; origin?: Origin } = {},
  ): number {
    if (this.open?.key === key) return this.open.index;
    this.close(out);
    const index = this.next++;
    this.open = { key, index, kind };
    out.push({ type: 'block_start', index, kind, ...extra });
    return index;
  }

  /** The open block's index when it belongs to `key`. */
  indexOf(key: string): number | undefined {
    return this.open?.key === key ? this.open.index : undefined;
  }

  close(out: IrEvent[]): void {
    if (!this.open) return;
    out.push({ type: 'block_stop', index: this.open.index });
    this.open = undefined;
  }
}
