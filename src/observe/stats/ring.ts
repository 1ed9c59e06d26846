import { Cell, type SeriesLabel } from './cell';

interface Slot {
  start: number;
  /** One map per dimension: series name → cell. */
  cells: Map<string, Cell>[];
}

/** The series that counts, in a slot, what came after the slot's cap was reached. */
export const OTHER_SERIES = '(other)';

/**
 * A sliding window as a ring of time slots (for example 12 slots of 5 minutes for the last
 * hour). A slot is cleared when the ring comes round to it again, which is also what forgets
 * series that went quiet. A slot holds at most `maxSeries` series per dimension, in the order
 * they were first seen there; later ones are counted together under `(other)`.
 */
export class TimeRing {
  private readonly slots: Slot[];

  constructor(
    readonly slotMs: number,
    readonly slotCount: number,
    private readonly dimensions: number,
    private readonly maxSeries: number,
  ) {
    this.slots = Array.from({ length: slotCount }, () => ({ start: -1, cells: [] }));
  }

  get spanMs(): number {
    return this.slotMs * this.slotCount;
  }

  /** The series' cell in the current slot; `uncapped` series never count as `(other)`. */
  cell(now: number, dimension: number, name: string, label?: SeriesLabel, uncapped = false): Cell {
    const slot = this.slotAt(now);
    const map = slot.cells[dimension]!;
    const cell = map.get(name);
    if (cell) return cell;
    if (!uncapped && map.size >= this.maxSeries) return this.otherCell(map);
    const created = new Cell(label);
    map.set(name, created);
    return created;
  }

  private otherCell(map: Map<string, Cell>): Cell {
    let cell = map.get(OTHER_SERIES);
    if (!cell) {
      cell = new Cell(undefined);
      map.set(OTHER_SERIES, cell);
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

  /**
   * Every slot start inside the window, oldest first, with the slot's cells of one dimension
   * (none for a slot that saw nothing).
   */
  *slotsIn(now: number, dimension: number): Generator<[number, ReadonlyMap<string, Cell>]> {
    const current = Math.floor(now / this.slotMs) * this.slotMs;
    for (let start = this.oldestStart(now); start <= current; start += this.slotMs) {
      const slot = this.slots[this.indexOf(start)]!;
      yield [start, slot.start === start ? slot.cells[dimension]! : new Map()];
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
