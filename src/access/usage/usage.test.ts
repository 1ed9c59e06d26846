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

describe('Gemini usage', () => {
  it('reads usageMetadata from a held answer: cached in the prompt, thoughts in the completion', () => {
    const body = Buffer.from(
      JSON.stringify({
        candidates: [{ content: { parts: [{ text: 'usage' }] } }],
        usageMetadata: {
          promptTokenCount: 40,
          cachedContentTokenCount: 10,
          candidatesTokenCount: 12,
          thoughtsTokenCount: 20,
          totalTokenCount: 72,
        },
      }),
    );
    expect(usageInBody(body)).toEqual({
      promptTokens: 40,
      completionTokens: 32,
      cachedTokens: 10,
      totalTokens: 72,
      estimated: false,
    });
  });

  it('estimates a Gemini request from its contents, system instruction and images', () => {
    const estimate = estimateRequest(
      {
        systemInstruction: { parts: [{ text: 'x'.repeat(40) }] },
        contents: [
          {
            role: 'user',
            parts: [{ text: 'y'.repeat(400) }, { inlineData: { mimeType: 'image/png', data: 'AA' } }],
          },
        ],
        generationConfig: { maxOutputTokens: 7 },
      },
      1024,
    );
    expect(estimate).toEqual({ promptTokens: 878, completionTokens: 7, totalTokens: 885 });
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

  it('multiplies the completion by the choices asked for: n, best_of, Gemini candidateCount', () => {
    const completion = (json: Record<string, unknown>) => estimateRequest(json, 1024).completionTokens;
    expect(completion({ model: 'gpt-4o', messages: [], max_tokens: 1, n: 50 })).toBe(50);
    expect(completion({ model: 'gpt-4o', messages: [], max_completion_tokens: 10, n: 3 })).toBe(30);
    expect(completion({ model: 'davinci-002', prompt: 'x', max_tokens: 16, n: 2, best_of: 5 })).toBe(80);
    expect(completion({ model: 'gpt-4o', messages: [], n: 4 })).toBe(4096);
    expect(
      completion({ contents: [], messages: [], generationConfig: { maxOutputTokens: 7, candidateCount: 3 } }),
    ).toBe(21);
    expect(completion({ model: 'gpt-4o', messages: [], max_tokens: 5, n: 'many' })).toBe(5);
    expect(completion({ model: 'gpt-4o', messages: [], max_tokens: 1e308, n: 1e308 })).toBe(
      Number.MAX_SAFE_INTEGER,
    );
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
