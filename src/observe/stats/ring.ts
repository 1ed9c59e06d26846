import { Cell, type SeriesLabel } from './cell';

interface Slot {
  start: number;
  /** One map per dimension: series name → cell. */
  cells: Map<string, Cell>[];
}

/**
 * A sliding window as a ring of time slots (for example 12 slots of 5 minutes for the last
 * hour). A slot is cleared when the ring comes round to it again, which is also what forgets
 * series that went quiet.
 */
export class TimeRing {
  private readonly slots: Slot[];

  constructor(
    readonly slotMs: number,
    readonly slotCount: number,
    private readonly dimensions: number,
  ) {
    this.slots = Array.from({ length: slotCount }, () => ({ start: -1, cells: [] }));
  }

  get spanMs(): number {
    return this.slotMs * this.slotCount;
  }

  cell(now: number, dimension: number, name: string, label?: SeriesLabel): Cell {
    const slot = this.slotAt(now);
    const map = slot.cells[dimension]!;
    let cell = map.get(name);
    if (!cell) {
      cell = new Cell(label);
      map.set(name, cell);
    }
    return cell;
  }

  /** The cells of one dimension in the slots still inside the window, oldest first. */
  *cellsIn(now: number, dimension: number): Generator<[string, Cell]> {
    const oldest = this.oldestStart(now);
    const current = Math.floor(now / this.slotMs) * this.slotMs;
    for (let start = oldest; start <= current; start += this.slotMs) {
      const slot = this.slots[this.indexOf(start)]!;
      if (slot.start !== start) continue;
      yield* slot.cells[dimension]!;
    }
  }

  /** The start of the oldest slot inside the window. */
  oldestStart(now: number): number {
    return Math.floor(now / this.slotMs) * this.slotMs - (this.slotCount - 1) * this.slotMs;
  }

  private slotAt(now: number): Slot {
    const start = Math.floor(now / this.slotMs) * this.slotMs;
    const slot = this.slots[this.indexOf(start)]!;
    if (slot.start !== start) {
      slot.start = start;
      slot.cells = Array.from({ length: this.dimensions }, () => new Map<string, Cell>());
    }
    return slot;
  }

  private indexOf(start: number): number {
    const index = Math.floor(start / this.slotMs) % this.slotCount;
    return index < 0 ? index + this.slotCount : index;
  }
}
