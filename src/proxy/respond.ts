/**
 * The explicit end of an interrupted stream: one SSE event carrying an OpenAI-shaped error and
 * no `[DONE]`, so no client mistakes a cut stream for a finished one.
 */
export function sseErrorEvent(message: string, partialEvent: boolean): string {
  const payload = JSON.stringify({
    error: { message, type: 'upstream_error', param: null, code: 'upstream_stream_interrupted' },
  });
  return `${partialEvent ? '\n\n' : ''}data: ${payload}\n\n`;
}

/** The same end for an Anthropic Messages client: Anthropic's own `error` event. */
export function anthropicErrorEvent(message: string, partialEvent: boolean): string {
  const payload = JSON.stringify({ type: 'error', error: { type: 'api_error', message } });
  return `${partialEvent ? '\n\n' : ''}event: error\ndata: ${payload}\n\n`;
}

/** The same end for a Gemini client: Gemini's own error object as the last `data:` event. */
export function geminiErrorEvent(message: string, partialEvent: boolean): string {
  const payload = JSON.stringify({ error: { code: 500, message, status: 'INTERNAL' } });
  return `${partialEvent ? '\n\n' : ''}data: ${payload}\n\n`;
}
