import type { ProbeSender } from '../../health/probe';
import { concat, text } from '../../http/bytes';

const SNIPPET_BYTES = 512;

/** Health checks and keep-alive pings over `fetch`: status, time to the head, the body's first bytes. */
export const fetchProbeSender: ProbeSender = async (upstream, probe, signal) => {
  const started = performance.now();
  const response = await fetch(upstream.origin + probe.path, {
    method: probe.method,
    headers: probe.headers,
    body: probe.body,
    signal,
    redirect: 'manual',
  });
  const ttfbMs = performance.now() - started;
  return { status: response.status, ttfbMs, snippet: await readSnippet(response) };
};

/** The first bytes of the body; the rest is cancelled rather than read. */
async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const kept: Uint8Array[] = [];
  let size = 0;
  while (size < SNIPPET_BYTES) {
    const { done, value } = await reader.read();
    if (done) return text(concat(kept, size));
    kept.push(value);
    size += value.length;
  }
  reader.cancel().catch(() => {});
  return text(concat(kept, size).subarray(0, SNIPPET_BYTES));
}
