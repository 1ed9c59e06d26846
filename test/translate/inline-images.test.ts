import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeImageNetwork } from '../../src/adapter/node/image-network';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { PNG, startImageServer } from '../helpers/image-server';
import { chatCompletion, type MockUpstream, sendJson, startMock } from '../helpers/mock-upstream';

const MESSAGE = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [{ type: 'text', text: 'A cat.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 5, output_tokens: 2 },
};

describe('image URLs fetched and inlined for translated upstreams (translate.images: inline)', () => {
  let images: Awaited<ReturnType<typeof startImageServer>>;
  let anthropic: MockUpstream;
  let openai: MockUpstream;
  const gateways: TestGateway[] = [];

  beforeAll(async () => {
    images = await startImageServer();
    anthropic = await startMock((_req, res) => sendJson(res, 200, MESSAGE));
    openai = await startMock((_req, res) => sendJson(res, 200, chatCompletion('gpt-4o', 'A cat.')));
  });

  afterAll(async () => {
    for (const gw of gateways) await gw.stop(1000);
    await anthropic.close();
    await openai.close();
    await images.close();
  });

  async function gateway(mode: 'url' | 'inline', relaxed: boolean): Promise<TestGateway> {
    const gw = await startTestGateway(
      {
        translate: { images: mode, image_max_size: '1kb' },
        upstreams: [
          { name: 'ant', url: anthropic.url, provider: 'anthropic', keys: ['sk-ant-0001'] },
          { name: 'oai', url: openai.url, keys: ['sk-oai-0001'] },
        ],
        routes: [
          { name: 'to-anthropic', match: { model: 'gpt-*' }, upstreams: ['ant'] },
          { name: 'to-openai', match: { model: 'claude-*' }, upstreams: ['oai'] },
        ],
      },
      relaxed ? { imageNetwork: nodeImageNetwork((address) => address === '127.0.0.1') } : {},
    );
    gateways.push(gw);
    return gw;
  }

  const askOpenAi = (gw: TestGateway, url: string) =>
    gw.client().chat.completions.create({
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url } },
            { type: 'image_url', image_url: { url } },
          ],
        },
      ],
    });

  it('sends an OpenAI client’s image URL to an Anthropic upstream inline, fetched once', async () => {
    const gw = await gateway('inline', true);
    const before = images.hits.length;
    const answer = await askOpenAi(gw, `${images.url}/cat.png`);
    expect(answer.choices[0]!.message.content).toBe('A cat.');
    expect(images.hits.slice(before)).toEqual(['/cat.png']);
    const inline = {
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: PNG.toString('base64') },
    };
    expect(anthropic.requests.at(-1)!.json<{ messages: unknown[] }>().messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, inline, inline] },
    ]);
  });

  it('sends an Anthropic client’s URL image to an OpenAI upstream as a data URL', async () => {
    const gw = await gateway('inline', true);
    const client = new Anthropic({ apiKey: 'sk-client-unused', baseURL: gw.url, maxRetries: 0 });
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 16,
      messages: [
        { role: 'user', content: [{ type: 'image', source: { type: 'url', url: `${images.url}/hop` } }] },
      ],
    });
    const sent = openai.requests.at(-1)!.json<{ messages: { content: unknown }[] }>();
    expect(sent.messages[0]!.content).toEqual([
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } },
    ]);
  });

  it('refuses with 400 image_not_fetched, sending nothing upstream, when the image is not fetched', async () => {
    const strict = await gateway('inline', false);
    const relaxed = await gateway('inline', true);
    const before = anthropic.requests.length;
    const cases: [TestGateway, string, string][] = [
      [strict, '/cat.png', 'the host is a local or private address, which the gateway does not fetch'],
      [relaxed, '/big.png', 'the image is larger than 1024 bytes'],
      [relaxed, '/page.html', 'the URL is not an image (content-type "text/html")'],
    ];
    for (const [gw, path, reason] of cases) {
      const err = await askOpenAi(gw, `${images.url}${path}`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect((err as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({
        code: 'image_not_fetched',
        message: `An image URL in the request could not be fetched: ${reason}.`,
      });
    }
    expect(anthropic.requests.length).toBe(before);
  });

  it('refuses a request whose images are larger than 4 × image_max_size together', async () => {
    const gw = await startTestGateway(
      {
        translate: { images: 'inline', image_max_size: PNG.length },
        upstreams: [{ name: 'ant', url: anthropic.url, provider: 'anthropic', keys: ['sk-ant-0001'] }],
      },
      { imageNetwork: nodeImageNetwork((address) => address === '127.0.0.1') },
    );
    gateways.push(gw);
    const ask = (count: number) =>
      gw.client().chat.completions.create({
        model: 'gpt-4o',
        messages: [
          {
            role: 'user',
            content: Array.from({ length: count }, (_, i) => ({
              type: 'image_url' as const,
              image_url: { url: `${images.url}/cat.png?n=${i}` },
            })),
          },
        ],
      });
    const before = anthropic.requests.length;
    await ask(4);
    expect(anthropic.requests.length).toBe(before + 1);
    const err = await ask(5).catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({
      code: 'image_not_fetched',
      message: `An image URL in the request could not be fetched: the request's images are larger than ${4 * PNG.length} bytes together.`,
    });
    expect(anthropic.requests.length).toBe(before + 1);
  });

  it('leaves URLs as they are by default (translate.images: url)', async () => {
    const gw = await gateway('url', true);
    const before = images.hits.length;
    await askOpenAi(gw, `${images.url}/cat.png`);
    expect(images.hits.length).toBe(before);
    const content = anthropic.requests.at(-1)!.json<{ messages: { content: unknown[] }[] }>()
      .messages[0]!.content;
    expect(content[1]).toEqual({ type: 'image', source: { type: 'url', url: `${images.url}/cat.png` } });
  });
});
