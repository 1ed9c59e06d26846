import { describe, expect, it } from 'vitest';
import { estimateRequest } from './estimate';
import { parseUsage, usageInBody } from './usage';

describe('usage objects', () => {
  it('reads OpenAI chat usage with cached tokens', () => {
    expect(
      parseUsage({
        prompt_tokens: 10,
        completion_tokens: 5,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 8 },
      }),
    ).toEqual({ promptTokens: 10, completionTokens: 5, cachedTokens: 8, totalTokens: 15, estimated: false });
  });

  it('reads embeddings usage (no completion)', () => {
    expect(parseUsage({ prompt_tokens: 2, total_tokens: 2 })).toMatchObject({
      promptTokens: 2,
      totalTokens: 2,
    });
  });

  it('finds usage at the end of a held body without parsing the rest, and ignores quoted text', () => {
    const body = Buffer.from(
      JSON.stringify({
        choices: [{ message: { content: 'say "usage": {"prompt_tokens": 999}' } }],
        usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
      }),
    );
    expect(usageInBody(body)).toMatchObject({ promptTokens: 3, completionTokens: 4, totalTokens: 7 });
    expect(usageInBody(Buffer.from('{"choices":[]}'))).toBeUndefined();
    expect(usageInBody(Buffer.from('{"usage": null}'))).toBeUndefined();
  });
});

describe('the reservation estimate', () => {
  it('counts four characters a token plus framing, and the completion allowed', () => {
    const estimate = estimateRequest(
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(400) }], max_tokens: 50 },
      1024,
    );
    expect(estimate).toEqual({ promptTokens: 103, completionTokens: 50, totalTokens: 153 });
  });

  it('reserves the default completion when none is given, and none for embeddings', () => {
    expect(estimateRequest({ model: 'gpt-4o', messages: [] }, 1024).completionTokens).toBe(1024);
    expect(estimateRequest({ model: 'text-embedding-3-small', input: 'abcd' }, 1024)).toEqual({
      promptTokens: 1,
      completionTokens: 0,
      totalTokens: 1,
    });
  });

  it('counts image parts without reading their data', () => {
    const estimate = estimateRequest(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is this' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(100_000)}` } },
            ],
          },
        ],
        max_tokens: 0,
      },
      0,
    );
    expect(estimate.promptTokens).toBe(3 + 3 + 765);
  });
});
