// Bundles the Cloudflare Worker entry into dist/worker/index.js (one ES module, dependencies in).
// The bundle must import no Node built-in (it runs on workerd with no compatibility flag): the
// build fails when one slips in.
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** Builds the Worker bundle; returns the Node built-ins it imports. */
export async function buildWorker(outdir = 'dist/worker') {
  const result = await build({
    entryPoints: { index: 'src/adapter/worker/index.ts' },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    target: 'es2022',
    external: ['node:*'],
    metafile: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  const builtins = new Set();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const item of output.imports) if (item.path.startsWith('node:')) builtins.add(item.path);
  }
  return [...builtins].sort();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const builtins = await buildWorker();
  if (builtins.length > 0) {
    console.error(
      `worker bundle: Node built-ins imported (the core must not use them): ${builtins.join(', ')}`,
    );
    process.exit(1);
  }
}
