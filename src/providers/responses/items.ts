import type { EncodeContext, Json } from '../codec';
import { defined } from '../translate/json';
import { textFormat } from './request-out';

/** The output items of a Responses answer, as both the held answer and the stream write them. */

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export function outputText(text: string): Json {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function messageItem(id: string, texts: readonly string[], status: ItemStatus): Json {
  return { id, type: 'message', status, role: 'assistant', content: texts.map(outputText) };
}

export function summaryText(text: string): Json {
  return { type: 'summary_text', text };
}

export function reasoningItem(id: string, text: string, encrypted: string | undefined): Json {
  return defined({
    id,
    type: 'reasoning',
    summary: text === '' ? [] : [summaryText(text)],
    encrypted_content: encrypted,
  });
}

export function functionCallItem(
  id: string,
  call: { id: string; name: string; args: string },
  status: ItemStatus,
): Json {
  return { id, type: 'function_call', status, call_id: call.id, name: call.name, arguments: call.args };
}

export function customToolCallItem(
  id: string,
  call: { id: string; name: string; input: string },
  status: ItemStatus,
): Json {
  return { id, type: 'custom_tool_call', status, call_id: call.id, name: call.name, input: call.input };
}

/** What a response object says of the request it answers (echoed as OpenAI does). */
export interface ResponseState {
  readonly id: string;
  readonly model: string;
  readonly createdAt: number;
  readonly status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  readonly incompleteDetails?: Json | null;
  readonly error?: Json | null;
  readonly output: readonly Json[];
  readonly usage?: Json | null;
}

/** A full `response` object, the request's settings echoed from the IR. */
export function responseObject(state: ResponseState, context: EncodeContext): Json {
  const { request } = context;
  const effort = request.reasoning?.effort;
  return {
    id: state.id,
    object: 'response',
    created_at: state.createdAt,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incompleteDetails ?? null,
    instructions: request.system.length > 0 ? request.system.join('\n\n') : null,
    max_output_tokens: request.maxTokens ?? null,
    model: state.model || request.model,
    output: state.output,
    parallel_tool_calls: request.parallelToolCalls ?? true,
    previous_response_id: null,
    reasoning: { effort: effort ?? null, summary: null },
    store: false,
    temperature: request.temperature ?? null,
    text: { format: request.responseFormat ? textFormat(request.responseFormat) : { type: 'text' } },
    tool_choice: toolChoiceOut(context),
    tools: request.tools.map((tool) =>
      tool.freeform
        ? defined({ type: 'custom', name: tool.name, description: tool.description })
        : defined({
            type: 'function',
            name: tool.name,
            description: tool.description ?? null,
            parameters: tool.schema,
            strict: false,
          }),
    ),
    top_p: request.topP ?? null,
    truncation: 'disabled',
    usage: state.usage ?? null,
    metadata: {},
  };
}

function toolChoiceOut({ request }: EncodeContext): unknown {
  const choice = request.toolChoice;
  if (!choice) return 'auto';
  return choice.type === 'tool' ? { type: 'function', name: choice.name } : choice.type;
}
