import { resolve } from 'node:path';
import { Miniflare } from 'miniflare';
import { stringify } from 'yaml';

/** A request's options as Miniflare's `dispatchFetch` takes them. */
export type WorkerRequestInit = NonNullable<Parameters<Miniflare['dispatchFetch']>[1]>;

/** The bundle `npm run build:worker` writes (built once per run: test/worker/build-bundle.ts). */
export const BUNDLE = resolve(import.meta.dirname, '../../dist/worker/index.js');

export interface WorkerOptions {
  /** The configuration, written to SWITCHYARD_CONFIG as YAML (a string is sent as is). */
  readonly config: unknown;
  /** More variables and secrets. */
  readonly vars?: Record<string, string>;
  /** Binds an empty local D1 database as SWITCHYARD_DB. */
  readonly d1?: boolean;
}

/** The built Worker in workerd (Miniflare), as wrangler.toml in deploy/cloudflare/ runs it. */
export function startWorker(options: WorkerOptions): Miniflare {
  const text = typeof options.config === 'string' ? options.config : stringify(options.config);
  return new Miniflare({
    scriptPath: BUNDLE,
    modules: true,
    compatibilityDate: '2025-09-01',
    compatibilityFlags: [],
    bindings: { SWITCHYARD_CONFIG: text, ...options.vars },
    d1Databases: options.d1 ? ['SWITCHYARD_DB'] : [],
  });
}

/** Reads a streamed body chunk by chunk, calling `onChunk` with the text of each as it arrives. */
export async function readChunks(
  body: ReadableStream<Uint8Array> | null,
  onChunk: (text: string) => void = () => {},
): Promise<string> {
  if (!body) return '';
  const decoder = new TextDecoder();
  let all = '';
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    const text = decoder.decode(chunk, { stream: true });
    all += text;
    onChunk(text);
  }
  return all;
}

/** The part of Miniflare's worker handle that fires a Cron Trigger (typed here: its types need workers-types). */
interface ScheduledFetcher {
  scheduled(options: { cron?: string; scheduledTime?: Date }): Promise<{ outcome: string }>;
}

/** Fires the Worker's `scheduled` handler as a Cron Trigger would, and waits for it. */
export async function runScheduled(mf: Miniflare, cron = '* * * * *'): Promise<string> {
  const worker = (await mf.getWorker()) as unknown as ScheduledFetcher;
  const result = await worker.scheduled({ cron });
  return result.outcome;
}
