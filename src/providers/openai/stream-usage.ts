import type { RequestContext } from '../../core/context';

/** OpenAI endpoints whose streams report usage only when `stream_options.include_usage` asks. */
const STREAM_USAGE_PATHS = /\/(?:chat\/)?completions$/;

/**
 * The request's JSON with `stream_options.include_usage` added, when the gateway needs usage
 * from a stream whose client did not ask for it; undefined when nothing needs adding. The
 * response observer then removes the usage event the client did not ask for.
 */
export function withStreamUsage(ctx: RequestContext): Record<string, unknown> | undefined {
  const json = ctx.json;
  if (!json || !ctx.stream || !STREAM_USAGE_PATHS.test(ctx.path)) return undefined;
  const options = json.stream_options;
  const asked =
    options !== null &&
    typeof options === 'object' &&
    (options as Record<string, unknown>).include_usage === true;
  if (asked) return undefined;
  return {
    ...json,
    stream_options: { ...(typeof options === 'object' ? options : {}), include_usage: true },
  };
}
