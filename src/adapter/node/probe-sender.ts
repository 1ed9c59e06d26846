import { Agent, request } from 'undici';
import type { ProbeSender } from '../../health/probe';

const SNIPPET_BYTES = 512;

/**
 * Probes over undici with their own connection pool (kept apart from the data plane's, so a
 * probe never waits behind traffic). Returns the sender and a function that closes the pool.
 */
export function createProbeSender(): { send: ProbeSender; close: () => Promise<void> } {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 4 });
  const send: ProbeSender = async (upstream, probe, signal) => {
    const started = performance.now();
    const response = await request(upstream.origin + probe.path, {
      method: probe.method as 'GET',
      headers: probe.headers,
      body: probe.body,
      signal,
      dispatcher: agent,
    });
    const ttfbMs = performance.now() - started;
    const snippet = await readSnippet(response.body);
    return { status: response.statusCode, ttfbMs, snippet };
  };
  return { send, close: () => agent.close() };
}

/** Reads the body (so the connection can be reused), keeping its first bytes. */
async function readSnippet(body: AsyncIterable<Buffer>): Promise<string> {
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < SNIPPET_BYTES) kept.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(kept).subarray(0, SNIPPET_BYTES).toString('utf8');
}
