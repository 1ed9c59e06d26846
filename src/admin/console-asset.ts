/** One built file of the web console, held in memory with its gzipped form. */
export interface ConsoleAsset {
  readonly body: Uint8Array;
  readonly gzip: Uint8Array;
  readonly contentType: string;
}

/** The built console's files by name (`index.html`, `app.js`…); the runtime adapter reads them. */
export type ConsoleAssets = () => ReadonlyMap<string, ConsoleAsset>;
