/** Portkey's gateway takes its routing config per request, in the `x-portkey-config` header. */
export function portkeyConfigHeader(upstreamUrl: string, keys: readonly string[]): string {
  return JSON.stringify({
    strategy: { mode: 'loadbalance' },
    targets: keys.map((key) => ({ provider: 'openai', api_key: key, custom_host: `${upstreamUrl}/v1` })),
  });
}
