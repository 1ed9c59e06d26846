/**
 * Decodes a request body the client compressed (`Content-Encoding`), with the body size limit
 * applied to the decoded bytes. Injected by the runtime adapter (Node: node:zlib), so the core
 * needs no compression library. Resolves undefined when the body is not encoded (or in an
 * encoding the decoder does not know: it is forwarded as it came); otherwise the decoded body and
 * the request headers to forward without `content-encoding`. Rejects with a GatewayError.
 */
export type BodyDecoder = (
  body: Uint8Array | null,
  contentEncoding: string | undefined,
  rawHeaders: readonly string[],
  limit: number,
) => Promise<{ body: Uint8Array | null; rawHeaders: readonly string[] } | undefined>;
