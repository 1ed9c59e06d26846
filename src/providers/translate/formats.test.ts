import { describe, expect, it } from 'vitest';
import { clientApiOf, speaksNatively } from './formats';

describe('clientApiOf', () => {
  it('knows the translated endpoints, with any prefix, and nothing else', () => {
    expect(clientApiOf('/v1/chat/completions')).toBe('openai-chat');
    expect(clientApiOf('/openai/deployments/gpt/chat/completions')).toBe('openai-chat');
    expect(clientApiOf('/v1/messages')).toBe('anthropic');
    expect(clientApiOf('/anthropic/v1/messages')).toBe('anthropic');
    expect(clientApiOf('/v1/messages/count_tokens')).toBe('anthropic-count');
    expect(clientApiOf('/v1/threads/thread_abc/messages')).toBeUndefined();
    expect(clientApiOf('/v1/messages/batches')).toBeUndefined();
    expect(clientApiOf('/v1/responses')).toBe('openai-responses');
    expect(clientApiOf('/openai/v1/responses')).toBe('openai-responses');
    expect(clientApiOf('/v1/responses/resp_abc/cancel')).toBeUndefined();
    expect(clientApiOf('/v1/completions')).toBeUndefined();
  });

  it('passes an API through only to an upstream of its own format', () => {
    expect(speaksNatively('openai-chat', 'openai-chat')).toBe(true);
    expect(speaksNatively('openai-chat', 'anthropic')).toBe(false);
    expect(speaksNatively('anthropic', 'anthropic')).toBe(true);
    expect(speaksNatively('anthropic', 'openai')).toBe(false);
    expect(speaksNatively('anthropic-count', 'gemini')).toBe(false);
    expect(speaksNatively('openai-responses', 'openai')).toBe(true);
    expect(speaksNatively('openai-responses', 'openai-chat')).toBe(false);
    expect(speaksNatively('openai-responses', 'anthropic')).toBe(false);
  });
});
