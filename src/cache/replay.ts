import type { RequestContext } from '../core/context';
import { type ClientSink, flatten } from '../http/types';
import type { CacheEntry } from './store';

export const CACHE_HEADER = 'x-switchyard-cache';

/**
 * Answers from a stored entry: a JSON answer whole, a stream as SSE (the events as they were
 * received, in one write: chunk boundaries and pacing are not kept, the format is). `Age` says
 * how old the entry is.
 */
export function replay(sink: ClientSink, ctx: RequestContext, entry: CacheEntry, now: number): void {
  ctx.status = entry.status;
  ctx.verdict = 'success';
  const headers: Record<string, string> = {
    'content-type': entry.contentType,
    ...ctx.replyHeaders,
    [CACHE_HEADER]: 'hit',
    age: String(Math.max(0, Math.floor((now - entry.storedAt) / 1000))),
  };
  if (entry.stream) {
    headers['cache-control'] = 'no-cache';
    sink.writeHead(entry.status, flatten(headers));
    sink.end(entry.body);
    return;
  }
  headers['content-length'] = String(entry.body.length);
  sink.writeHead(entry.status, flatten(headers));
  sink.end(entry.body);
}
