import type { Json } from '../codec';
import type { Origin } from '../ir';
import { freeformInput } from './custom-tools';
import type { ItemKind } from './ids';
import { customToolCallItem, functionCallItem, messageItem, reasoningItem } from './items';
import { encryptedContentOf } from './reasoning';

/** The output item a Responses stream is writing: the IR block it comes from and what it gathered. */
export interface OpenItem {
  readonly kind: ItemKind;
  /** The IR block's index. */
  readonly ir: number;
  readonly outputIndex: number;
  readonly id: string;
  /** Text, reasoning text or call arguments so far. */
  text: string;
  /** reasoning: the summary part was announced. */
  summaryOpen: boolean;
  signature?: string;
  /** redacted thinking: its opaque data. */
  readonly redacted?: string;
  readonly origin: Origin;
  readonly callId: string;
  readonly name: string;
}

/** What a block's start says of the item it opens. */
export interface BlockHead {
  readonly id?: string;
  readonly name?: string;
  readonly data?: string;
  readonly origin?: Origin;
}

export function openItem(
  kind: ItemKind,
  ir: number,
  outputIndex: number,
  id: string,
  head: BlockHead,
): OpenItem {
  return {
    kind,
    ir,
    outputIndex,
    id,
    text: '',
    summaryOpen: false,
    redacted: head.data,
    origin: head.origin ?? 'openai',
    callId: head.id ?? `call_${outputIndex}`,
    name: head.name ?? '',
  };
}

/** The item as `output_item.added` (in progress, empty) or `output_item.done` (completed, whole) shows it. */
export function itemJson(open: OpenItem, status: 'in_progress' | 'completed'): Json {
  const done = status === 'completed';
  switch (open.kind) {
    case 'message':
      return messageItem(open.id, done ? [open.text] : [], status);
    case 'custom_tool_call': {
      const input = done ? freeformInput(open.text) : '';
      return customToolCallItem(open.id, { id: open.callId, name: open.name, input }, status);
    }
    case 'function_call':
      return functionCallItem(open.id, { id: open.callId, name: open.name, args: open.text }, status);
    case 'reasoning':
      return reasoningItem(open.id, done ? open.text : '', done ? encryptedOf(open) : undefined);
  }
}

function encryptedOf(open: OpenItem): string | undefined {
  const { origin } = open;
  if (open.redacted !== undefined)
    return encryptedContentOf({ type: 'redacted_thinking', data: open.redacted, origin });
  return encryptedContentOf({ type: 'thinking', text: open.text, signature: open.signature, origin });
}
