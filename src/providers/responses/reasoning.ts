import type { IrPart } from '../ir';
import { arr, obj, str } from '../translate/json';

/**
 * A reasoning item's `encrypted_content` is opaque to the client and comes back in the next
 * turn's `input`. OpenAI's own goes there as it is. An Anthropic thinking signature (or redacted
 * thinking's data) travels in it too, marked with its family, so it goes back to Anthropic only:
 * nothing is invented, and an OpenAI blob is never sent to Anthropic (nor the reverse).
 */
const ANTHROPIC_SIGNED = 'anthropic.thinking:';
const ANTHROPIC_REDACTED = 'anthropic.redacted:';

type ThinkingPart = Extract<IrPart, { type: 'thinking' | 'redacted_thinking' }>;

/** True for an `encrypted_content` the gateway wrote for another family than OpenAI. */
export function isGatewayReasoning(encrypted: string | undefined): boolean {
  return (
    encrypted !== undefined &&
    (encrypted.startsWith(ANTHROPIC_SIGNED) || encrypted.startsWith(ANTHROPIC_REDACTED))
  );
}

/**
 * The `encrypted_content` that carries a thinking part's signature, if it has one. A Gemini
 * thought signature has none: read back as OpenAI's, it would go to OpenAI, which refuses it.
 */
export function encryptedContentOf(part: ThinkingPart): string | undefined {
  if (part.origin === 'gemini') return undefined;
  if (part.type === 'redacted_thinking')
    return part.origin === 'anthropic' ? ANTHROPIC_REDACTED + part.data : part.data;
  if (!part.signature) return undefined;
  return part.origin === 'anthropic' ? ANTHROPIC_SIGNED + part.signature : part.signature;
}

/** The visible reasoning of an item: its summary texts, else its raw reasoning texts. */
export function reasoningText(item: Record<string, unknown>): string {
  const texts = (field: unknown) =>
    arr(field)
      .map((part) => str(obj(part)?.text) ?? '')
      .filter((text) => text !== '');
  const summary = texts(item.summary);
  return (summary.length > 0 ? summary : texts(item.content)).join('\n\n');
}

/** A `reasoning` input item as an IR thinking part (none when it carries nothing). */
export function thinkingFromItem(item: Record<string, unknown>): ThinkingPart | undefined {
  const text = reasoningText(item);
  const encrypted = str(item.encrypted_content);
  if (encrypted?.startsWith(ANTHROPIC_REDACTED))
    return {
      type: 'redacted_thinking',
      data: encrypted.slice(ANTHROPIC_REDACTED.length),
      origin: 'anthropic',
    };
  if (encrypted?.startsWith(ANTHROPIC_SIGNED))
    return {
      type: 'thinking',
      text,
      signature: encrypted.slice(ANTHROPIC_SIGNED.length),
      origin: 'anthropic',
    };
  if (text === '' && !encrypted) return undefined;
  return { type: 'thinking', text, signature: encrypted, origin: 'openai' };
}
