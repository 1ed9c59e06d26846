import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/gateway';
import { replyChat, startMock } from '../helpers/mock-upstream';

const ALICE = 'sk-sy-alice-model-list-0001';
const ROOT = 'sk-sy-root-model-list-00002';

describe('GET /v1/models for a client with a model allowlist', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  it('lists and answers only the models the caller may use', async () => {
    const mock = await startMock(replyChat());
    const gw = await startTestGateway({
      clients: [
        { name: 'alice', key: ALICE, models: ['gpt-4o*'] },
        { name: 'root', key: ROOT },
      ],
      upstreams: [{ name: 'm', url: mock.url, keys: ['sk-upstream-list-000001'] }],
      routes: [{ name: 'all', upstreams: ['m'], models: ['gpt-4o', 'gpt-4o-mini', 'o1-pro'] }],
    });
    cleanup.push(mock.close, () => gw.stop(1000));
    const ids = async (key: string) =>
      (
        (await (
          await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })
        ).json()) as {
          data: { id: string }[];
        }
      ).data.map((m) => m.id);
    expect(await ids(ALICE)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(await ids(ROOT)).toEqual(['gpt-4o', 'gpt-4o-mini', 'o1-pro']);
    const hidden = await fetch(`${gw.url}/v1/models/o1-pro`, {
      headers: { authorization: `Bearer ${ALICE}` },
    });
    expect(hidden.status).toBe(404);
    expect(mock.requests).toHaveLength(0);
  });
});
