import type { IrRequest } from '../ir';

/**
 * Gemini's `thoughtSignature` on a function call must come back on that call (Gemini 3 answers
 * 400 "Function call is missing a thought_signature" otherwise), but OpenAI Chat and Anthropic
 * clients have no field for it. It rides in the tool call's id instead, which every client
 * echoes: `call_…__thought__<signature as base64url>` (only `[A-Za-z0-9_-]`, as Anthropic ids
 * require). Building a Gemini request takes it back out; no signature is ever made up.
 */
const SEPARATOR = '__thought__';

/** The call id a client sees: the id with the signature folded in, when there is one. */
export function idWithSignature(id: string, signature: string | undefined): string {
  if (!signature) return id;
  const url = signature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${id}${SEPARATOR}${url}`;
}

/** A client's call id as its own id and the Gemini signature folded into it, if any. */
export function splitSignature(id: string): { id: string; signature?: string } {
  const at = id.indexOf(SEPARATOR);
  if (at === -1) return { id };
  const url = id.slice(at + SEPARATOR.length);
  const base64 = url.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  return { id: id.slice(0, at), signature: url === '' ? undefined : padded };
}

/** An id for a call Gemini sent without one (older models): unique within the answer. */
export function callId(responseId: string, n: number): string {
  const clean = responseId.replace(/[^A-Za-z0-9]/g, '');
  return `call_${clean === '' ? 'gemini' : clean}_${n}`;
}

/**
 * The request with Gemini signatures taken out of its call ids, for an upstream of another API:
 * they mean nothing there, and are long (OpenAI refuses tool call ids over 40 characters).
 * Calls and their results lose the same suffix, so they still pair.
 */
export function withoutSignatures(request: IrRequest): IrRequest {
  const signed = request.messages.some((m) =>
    m.parts.some((p) => (p.type === 'tool_call' || p.type === 'tool_result') && p.id.includes(SEPARATOR)),
  );
  if (!signed) return request;
  const messages = request.messages.map((message) => ({
    role: message.role,
    parts: message.parts.map((part) =>
      part.type === 'tool_call' || part.type === 'tool_result'
        ? { ...part, id: splitSignature(part.id).id }
        : part,
    ),
  }));
  return { ...request, messages };
}
