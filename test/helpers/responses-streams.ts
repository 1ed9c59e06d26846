/**
 * An OpenAI Responses stream as the API sends it (hand-written after its documentation): what
 * a `format: openai` mock upstream replays for the pass-through tests.
 */

let sequence = 0;
const event = (data: Record<string, unknown>) => {
  const body = { ...data, sequence_number: sequence++ };
  return `event: ${data.type}\ndata: ${JSON.stringify(body)}\n\n`;
};

const response = (status: string, output: unknown[], usage: unknown) => ({
  id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
  object: 'response',
  created_at: 1_741_476_542,
  status,
  error: null,
  incomplete_details: null,
  model: 'gpt-4.1-2025-04-14',
  output,
  usage,
});

const message = (text: string, status: string) => ({
  id: 'msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b',
  type: 'message',
  status,
  role: 'assistant',
  content: text === '' ? [] : [{ type: 'output_text', text, annotations: [] }],
});

const at = { item_id: 'msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b', output_index: 0 };

/** A text answer, with the usage in `response.completed`. */
export const RESPONSES_TEXT = [
  event({ type: 'response.created', response: response('in_progress', [], null) }),
  event({ type: 'response.in_progress', response: response('in_progress', [], null) }),
  event({ type: 'response.output_item.added', output_index: 0, item: message('', 'in_progress') }),
  event({
    type: 'response.content_part.added',
    ...at,
    content_index: 0,
    part: { type: 'output_text', text: '', annotations: [] },
  }),
  event({ type: 'response.output_text.delta', ...at, content_index: 0, delta: 'Hi', logprobs: [] }),
  event({ type: 'response.output_text.delta', ...at, content_index: 0, delta: ' there', logprobs: [] }),
  event({ type: 'response.output_text.done', ...at, content_index: 0, text: 'Hi there', logprobs: [] }),
  event({
    type: 'response.content_part.done',
    ...at,
    content_index: 0,
    part: { type: 'output_text', text: 'Hi there', annotations: [] },
  }),
  event({ type: 'response.output_item.done', output_index: 0, item: message('Hi there', 'completed') }),
  event({
    type: 'response.completed',
    response: response('completed', [message('Hi there', 'completed')], {
      input_tokens: 37,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 11,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 48,
    }),
  }),
];
