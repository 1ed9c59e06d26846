import { type LookupAddress, type LookupOptions, lookup } from 'node:dns';
import { lookup as lookupAll } from 'node:dns/promises';
import { Agent, fetch } from 'undici';
import { type ImageNetwork, isPublicAddress } from '../../providers/translate/image-fetch';

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Node's side of fetching image URLs (src/providers/translate/image-fetch.ts): DNS and undici.
 * The address rule is checked twice: on the names the core resolves before each hop, and again
 * by the connection's own lookup, so a name that resolves to a public address for the check and
 * to a private one for the connection (DNS rebinding) is still refused.
 */
export function nodeImageNetwork(allowAddress: (address: string) => boolean = isPublicAddress): ImageNetwork {
  const checkedLookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const refused = addresses.find((entry) => !allowAddress(entry.address));
      if (refused || addresses.length === 0)
        return callback(new Error(`${hostname} resolves to an address the gateway does not fetch`), []);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  const agent = new Agent({ connect: { lookup: checkedLookup }, keepAliveTimeout: 1000 });
  return {
    allowAddress,
    resolve: async (host) => (await lookupAll(host, { all: true })).map((entry) => entry.address),
    fetch: (url, init) =>
      fetch(url, {
        ...(init as Parameters<typeof fetch>[1]),
        dispatcher: agent,
      }) as unknown as Promise<Response>,
  };
}
