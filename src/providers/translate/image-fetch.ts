import ipaddr from 'ipaddr.js';

/**
 * What the gateway needs from its runtime to fetch an image by URL: name resolution and an HTTP
 * client (the Node adapter's, src/adapter/node/image-network.ts), so the core stays Node-free.
 */
export interface ImageNetwork {
  /** Every address a host name resolves to. */
  resolve(host: string): Promise<readonly string[]>;
  /** An HTTP GET that does not follow redirects (`redirect: 'manual'` is passed). */
  fetch(url: string, init: RequestInit): Promise<Response>;
  /** Whether the gateway may connect to an address; public unicast only unless a test relaxes it. */
  readonly allowAddress?: (address: string) => boolean;
}

/** The limits one image fetch runs under (`translate.image_max_size`, `translate.image_timeout`). */
export interface ImageFetchPolicy {
  readonly network: ImageNetwork;
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
}

/** An image fetched and ready to inline. */
export interface InlineImage {
  readonly mediaType: string;
  /** Base64 of the bytes. */
  readonly data: string;
  /** How many bytes the image has. */
  readonly size: number;
}

/** Why an image URL could not be inlined; the message is the client's to read. */
export class ImageFetchError extends Error {
  override name = 'ImageFetchError';
}

/**
 * True for a public unicast address: not loopback, private (RFC 1918), link-local (the cloud
 * metadata address 169.254.169.254 among them), carrier-grade NAT, unique local (fc00::/7),
 * multicast, reserved or unspecified. An IPv4-mapped IPv6 address is judged as its IPv4 address.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/**
 * Fetches an image by http(s) URL: every hop's host must resolve only to allowed addresses
 * (redirects are followed by hand, at most `maxRedirects`, each re-checked); the answer must be
 * 200 with an `image/*` type and at most `maxBytes` long; all within `timeoutMs`.
 */
export async function fetchImage(url: string, policy: ImageFetchPolicy): Promise<InlineImage> {
  const signal = AbortSignal.timeout(policy.timeoutMs);
  try {
    let target = url;
    for (let hop = 0; ; hop++) {
      const response = await fetchChecked(target, policy.network, signal);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        if (hop >= policy.maxRedirects)
          throw new ImageFetchError(`${policy.maxRedirects} redirects exceeded`);
        target = new URL(location, target).href;
        continue;
      }
      return await readImage(response, policy.maxBytes);
    }
  } catch (err) {
    if (err instanceof ImageFetchError) throw err;
    if (signal.aborted) throw new ImageFetchError(`not fetched within ${policy.timeoutMs} ms`);
    throw new ImageFetchError('the image server could not be reached');
  }
}

async function fetchChecked(url: string, network: ImageNetwork, signal: AbortSignal): Promise<Response> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ImageFetchError('the URL is not valid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ImageFetchError('only http and https URLs are fetched');
  if (parsed.username || parsed.password) throw new ImageFetchError('URLs with credentials are not fetched');
  await checkHost(parsed.hostname, network);
  return network.fetch(parsed.href, { method: 'GET', redirect: 'manual', signal });
}

/** The host (an address, or a name resolved here) must lead only to allowed addresses. */
async function checkHost(hostname: string, network: ImageNetwork): Promise<void> {
  const allow = network.allowAddress ?? isPublicAddress;
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const addresses = ipaddr.isValid(host) ? [host] : await network.resolve(host);
  if (addresses.length === 0) throw new ImageFetchError('the host does not resolve');
  if (!addresses.every(allow))
    throw new ImageFetchError('the host is a local or private address, which the gateway does not fetch');
}

async function readImage(response: Response, maxBytes: number): Promise<InlineImage> {
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new ImageFetchError(`the image server answered HTTP ${response.status}`);
  }
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!/^image\/[a-z0-9.+-]+$/.test(mediaType)) {
    await response.body?.cancel();
    throw new ImageFetchError(`the URL is not an image (content-type "${mediaType}")`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new ImageFetchError(`the image is larger than ${maxBytes} bytes`);
  }
  const bytes = await readCapped(response, maxBytes);
  return { mediaType, data: base64(bytes), size: bytes.length };
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > maxBytes) {
      await reader.cancel();
      throw new ImageFetchError(`the image is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Padded base64 (RFC 4648 §4) of bytes. */
export function base64(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out.push(
      BASE64[n >> 18]! +
        BASE64[(n >> 12) & 63]! +
        (i + 1 < bytes.length ? BASE64[(n >> 6) & 63]! : '=') +
        (i + 2 < bytes.length ? BASE64[n & 63]! : '='),
    );
  }
  return out.join('');
}
