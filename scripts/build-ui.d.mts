/** Builds the web console into `outdir` (default dist/ui); answers the gzipped size of its script and stylesheet. */
export function buildConsole(outdir?: string): Promise<{ gzipped: number }>;
