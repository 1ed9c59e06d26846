/** What the scenarios need to know about a system under test. */

export interface Target {
  /** `direct`, `switchyard`, `nginx`, `portkey`, or a variant such as `switchyard 100k keys`. */
  readonly name: string;
  /** `http://127.0.0.1:PORT`: where the client sends its requests. */
  readonly origin: string;
  /** Headers every client request carries (credentials, Portkey's config). */
  readonly headers: Readonly<Record<string, string>>;
  /** The processes whose CPU and memory count as the gateway's (none for direct). */
  pids(): number[];
  stop(): Promise<void>;
  /** The scenarios this target takes part in; all when absent. */
  readonly scenarios?: readonly string[];
  /**
   * The gateway's event-loop delay p99 in ms since the previous call (Switchyard's `/metrics`);
   * undefined where the target does not export it.
   */
  loopDelayP99?(): Promise<number | undefined>;
  /** Requests the gateway has counted so far, in each place it counts them (Switchyard). */
  requestCounts?(): Promise<RequestCounts>;
}

/** API requests counted by the request log's rollups, `switchyard_requests_total` and `/admin/stats`. */
export interface RequestCounts {
  readonly log: number;
  readonly metrics: number;
  readonly stats: number;
}

export function takesPart(target: Target, scenario: string): boolean {
  return target.scenarios === undefined || target.scenarios.includes(scenario);
}

export const CHAT_PATH = '/v1/chat/completions';

/** The request body of every scenario; `stream` and the slow model pick the mock's behaviour. */
export function chatBody(options: { stream?: boolean; slow?: boolean } = {}): string {
  return JSON.stringify({
    model: options.slow ? 'bench-slow' : 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
    ...(options.stream ? { stream: true } : {}),
  });
}

/** Sends one chat request until it succeeds: the whole chain (client, gateway, mock) is ready. */
export async function waitReady(target: Pick<Target, 'origin' | 'headers' | 'name'>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(target.origin + CHAT_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body: chatBody(),
      });
      const text = await res.text();
      if (res.status === 200 && text.includes('chatcmpl-bench')) return;
      last = `${res.status} ${text.slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${target.name} did not answer a chat request within ${timeoutMs} ms: ${last}`);
}
