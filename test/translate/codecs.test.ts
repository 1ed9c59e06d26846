import { describe, expect, it } from 'vitest';
import { buildMessagesRequest, parseMessagesRequest } from '../../src/providers/anthropic/request';
import { buildChatRequest, parseChatRequest } from '../../src/providers/openai/request';
import { upstreamCodec } from '../../src/providers/translate/formats';

describe('the request codecs', () => {
  it('turns reasoning_effort into a thinking budget, without temperature and with room above the budget', () => {
    const ir = parseChatRequest({
      model: 'claude-sonnet-4-5',
      reasoning_effort: 'medium',
      temperature: 0.3,
      max_tokens: 1000,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(buildMessagesRequest(ir)).toEqual({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      max_tokens: 8192 + 4096,
      thinking: { type: 'enabled', budget_tokens: 8192 },
    });
  });

  it('sends no thinking when the last tool-calling turn has no signed thinking to start with', () => {
    const ir = parseChatRequest({
      model: 'claude-sonnet-4-5',
      reasoning_effort: 'low',
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
    });
    const built = buildMessagesRequest(ir);
    expect(built.thinking).toBeUndefined();
    expect(built.max_tokens).toBe(4096);
  });

  it('gives Anthropic back its signed thinking and never a block without a signature', () => {
    const ir = parseMessagesRequest({
      model: 'claude-sonnet-4-5',
      max_tokens: 20000,
      thinking: { type: 'enabled', budget_tokens: 10000 },
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'call it', signature: 'sig-1' },
            { type: 'thinking', thinking: 'from elsewhere', signature: '' },
            { type: 'tool_use', id: 'toolu_1', name: 'w', input: {} },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' }] },
      ],
    });
    const built = buildMessagesRequest(ir);
    expect(built.thinking).toEqual({ type: 'enabled', budget_tokens: 10000 });
    expect((built.messages as { content: unknown }[])[1]!.content).toEqual([
      { type: 'thinking', thinking: 'call it', signature: 'sig-1' },
      { type: 'tool_use', id: 'toolu_1', name: 'w', input: {} },
    ]);
  });

  it("does not send Claude Code's long metadata.user_id as OpenAI's user", () => {
    const ir = parseMessagesRequest({
      model: 'm',
      max_tokens: 5,
      metadata: { user_id: `user_${'a'.repeat(64)}_account__session_${'b'.repeat(36)}` },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(buildChatRequest(ir)).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      max_tokens: 5,
    });
  });

  it('limits the answer in max_completion_tokens for OpenAI itself, max_tokens for compatible servers', () => {
    const ir = parseMessagesRequest({
      model: 'gpt-5',
      max_tokens: 77,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const limit = (format: 'openai' | 'openai-chat') => {
      const built = upstreamCodec(format)!.buildRequest(ir);
      return { max_tokens: built.max_tokens, max_completion_tokens: built.max_completion_tokens };
    };
    expect(limit('openai')).toEqual({ max_tokens: undefined, max_completion_tokens: 77 });
    expect(limit('openai-chat')).toEqual({ max_tokens: 77, max_completion_tokens: undefined });
  });
});
