import type { CursorStore, RotationMember, RotationTurn } from './cursor-store';
import { memberAt, type RotationMode } from './rotation';

/** Rotation cursors in this process's memory: the contract's reference driver. */
export class MemoryCursorStore implements CursorStore {
  private readonly counters = new Map<string, number>();

  async turn(
    rotation: string,
    members: readonly RotationMember[],
    mode: RotationMode,
  ): Promise<RotationTurn> {
    if (members.length === 0) throw new Error('a rotation needs at least one member');
    const ticket = this.increment(rotation);
    const index = memberAt(
      ticket,
      members.map((member) => member.weight),
      mode,
    );
    const keys = members[index]!.keys;
    return { index, keyTicket: keys === undefined ? undefined : this.increment(keys) };
  }

  async peek(name: string): Promise<number> {
    return this.counters.get(name) ?? 0;
  }

  private increment(name: string): number {
    const value = (this.counters.get(name) ?? 0) + 1;
    this.counters.set(name, value);
    return value;
  }
}
