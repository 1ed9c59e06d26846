import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeImageNetwork } from '../../src/adapter/node/image-network';
import {
  base64,
  fetchImage,
  type ImageFetchPolicy,
  type ImageNetwork,
  isPublicAddress,
} from '../../src/providers/translate/image-fetch';
import { PNG, startImageServer } from '../helpers/image-server';

const policy = (network: ImageNetwork, overrides: Partial<ImageFetchPolicy> = {}): ImageFetchPolicy => ({
  network,
  maxBytes: 1024,
  timeoutMs: 2000,
  maxRedirects: 3,
  ...overrides,
});

describe('isPublicAddress', () => {
  it('allows public unicast only', () => {
    const verdicts = Object.fromEntries(
      [
        '8.8.8.8',
        '93.184.216.34',
        '2606:4700:4700::1111',
        '::ffff:8.8.8.8',
        '127.0.0.1',
        '10.1.2.3',
        '172.16.0.1',
        '192.168.1.1',
        '169.254.169.254',
        '100.64.0.1',
        '0.0.0.0',
        '224.0.0.1',
        '::1',
        '::',
        'fd00::1',
        'fe80::1',
        '::ffff:127.0.0.1',
        '::ffff:169.254.169.254',
        'localhost',
      ].map((address) => [address, isPublicAddress(address)]),
    );
    expect(verdicts).toEqual({
      '8.8.8.8': true,
      '93.184.216.34': true,
      '2606:4700:4700::1111': true,
      '::ffff:8.8.8.8': true,
      '127.0.0.1': false,
      '10.1.2.3': false,
      '172.16.0.1': false,
      '192.168.1.1': false,
      '169.254.169.254': false,
      '100.64.0.1': false,
      '0.0.0.0': false,
      '224.0.0.1': false,
      '::1': false,
      '::': false,
      'fd00::1': false,
      'fe80::1': false,
      '::ffff:127.0.0.1': false,
      '::ffff:169.254.169.254': false,
      localhost: false,
    });
  });

  it('base64 matches Node’s for every length remainder', () => {
    for (const bytes of [PNG, PNG.subarray(0, 1), PNG.subarray(0, 2), PNG.subarray(0, 3), Buffer.alloc(0)])
      expect(base64(bytes)).toBe(bytes.toString('base64'));
  });
});

describe('fetchImage under the default address rule', () => {
  let server: Awaited<ReturnType<typeof startImageServer>>;
  const network = nodeImageNetwork();
  beforeAll(async () => {
    server = await startImageServer();
  });
  afterAll(() => server.close());

  it('refuses loopback, private, link-local and metadata addresses without connecting', async () => {
    const port = new URL(server.url).port;
    for (const url of [
      `${server.url}/cat.png`,
      `http://localhost:${port}/cat.png`,
      `http://[::1]:${port}/cat.png`,
      `http://[::ffff:127.0.0.1]:${port}/cat.png`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/a.png',
      'http://[fd00::1]/a.png',
    ]) {
      await expect(fetchImage(url, policy(network)), url).rejects.toThrow(
        'the host is a local or private address, which the gateway does not fetch',
      );
    }
    expect(server.hits).toEqual([]);
  });

  it('refuses other schemes and URLs with credentials', async () => {
    await expect(fetchImage('ftp://example.com/a.png', policy(network))).rejects.toThrow(
      'only http and https URLs are fetched',
    );
    await expect(fetchImage('http://u:p@example.com/a.png', policy(network))).rejects.toThrow(
      'URLs with credentials are not fetched',
    );
  });

  it('refuses at connection time a name that resolved to a public address for the check (DNS rebinding)', async () => {
    const rebinding: ImageNetwork = { ...network, resolve: async () => ['93.184.216.34'] };
    const port = new URL(server.url).port;
    await expect(fetchImage(`http://localhost:${port}/cat.png`, policy(rebinding))).rejects.toThrow(
      'the image server could not be reached',
    );
    expect(server.hits).toEqual([]);
  });
});

describe('fetchImage with the address rule relaxed for a local test server', () => {
  let server: Awaited<ReturnType<typeof startImageServer>>;
  const loopbackV4 = nodeImageNetwork((address) => address === '127.0.0.1');
  beforeAll(async () => {
    server = await startImageServer();
  });
  afterAll(() => server.close());

  it('fetches an image and inlines it as base64 with its media type, redirects followed', async () => {
    expect(await fetchImage(`${server.url}/cat.png`, policy(loopbackV4))).toEqual({
      mediaType: 'image/png',
      data: PNG.toString('base64'),
      size: PNG.length,
    });
    expect(await fetchImage(`${server.url}/hop`, policy(loopbackV4))).toEqual({
      mediaType: 'image/png',
      data: PNG.toString('base64'),
      size: PNG.length,
    });
  });

  it('re-checks a redirect’s target against the rule', async () => {
    const before = server.hits.length;
    await expect(fetchImage(`${server.url}/to-ipv6`, policy(loopbackV4))).rejects.toThrow(
      'the host is a local or private address',
    );
    expect(server.hits.slice(before)).toEqual(['/to-ipv6']);
  });

  it('refuses too large, not an image, an error status, endless redirects and a slow server', async () => {
    const cases: [string, Partial<ImageFetchPolicy>, string][] = [
      ['/big.png', {}, 'the image is larger than 1024 bytes'],
      ['/declared-big.png', {}, 'the image is larger than 1024 bytes'],
      ['/page.html', {}, 'the URL is not an image (content-type "text/html")'],
      ['/missing.png', {}, 'the image server answered HTTP 404'],
      ['/loop', {}, '3 redirects exceeded'],
      ['/slow.png', { timeoutMs: 200 }, 'not fetched within 200 ms'],
    ];
    for (const [path, overrides, message] of cases)
      await expect(fetchImage(`${server.url}${path}`, policy(loopbackV4, overrides)), path).rejects.toThrow(
        message,
      );
  });
});
