/**
 * Ids of a translated response and its output items, derived from the upstream's answer id so
 * they are stable within a response: `resp_…` for the response, `msg_…`, `rs_…`, `fc_…` for items.
 */
export function responseIdOf(upstreamId: string): string {
  if (upstreamId.startsWith('resp_')) return upstreamId;
  const core = upstreamId.replace(/[^A-Za-z0-9]/g, '').slice(-40);
  return `resp_${core || randomCore()}`;
}

function randomCore(): string {
  let out = '';
  for (let i = 0; i < 24; i++) out += Math.floor(Math.random() * 16).toString(16);
  return out;
}

export type ItemKind = 'message' | 'reasoning' | 'function_call' | 'custom_tool_call';

const PREFIX: Record<ItemKind, string> = {
  message: 'msg',
  reasoning: 'rs',
  function_call: 'fc',
  custom_tool_call: 'ctc',
};

/** The id of the item at `outputIndex` of the response `responseId`. */
export function itemIdOf(responseId: string, kind: ItemKind, outputIndex: number): string {
  return `${PREFIX[kind]}_${responseId.slice('resp_'.length)}_${outputIndex}`;
}
