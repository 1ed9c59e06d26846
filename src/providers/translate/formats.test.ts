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
    expect(clientApiOf('/v1beta/models/gemini-2.5-pro:generateContent')).toBe('gemini');
    expect(clientApiOf('/v1beta/models/gemini-2.5-pro:streamGenerateContent')).toBe('gemini');
    expect(clientApiOf('/gemini/v1/models/m:countTokens')).toBe('gemini-count');
    expect(clientApiOf('/v1beta/models/e:embedContent')).toBe('gemini-embed');
    expect(clientApiOf('/v1beta/models/e:batchEmbedContents')).toBe('gemini-embed');
    expect(clientApiOf('/v1beta/models/m:predict')).toBeUndefined();
    expect(clientApiOf('/v1beta/models')).toBeUndefined();
    expect(clientApiOf('/v1/embeddings')).toBe('openai-embed');
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
    expect(speaksNatively('gemini', 'gemini')).toBe(true);
    expect(speaksNatively('gemini-count', 'gemini')).toBe(true);
    expect(speaksNatively('gemini', 'openai')).toBe(false);
    expect(speaksNatively('openai-embed', 'openai-chat')).toBe(true);
    expect(speaksNatively('openai-embed', 'gemini')).toBe(false);
  });
});
