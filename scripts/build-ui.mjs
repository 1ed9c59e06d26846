// Bundles the web console (ui/) into dist/ui: one script, one stylesheet and the page.
// Preact and uPlot are bundled in; nothing is loaded from elsewhere at run time.
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the console into `outdir` and answers the gzipped size of its script and stylesheet. */
export async function buildConsole(outdir = join(root, 'dist/ui')) {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: { app: join(root, 'ui/src/main.tsx') },
    outdir,
    bundle: true,
    format: 'esm',
    target: ['chrome111', 'firefox115', 'safari16.4'],
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
  });
  await copyFile(join(root, 'ui/index.html'), join(outdir, 'index.html'));
  let gzipped = 0;
  for (const name of ['app.js', 'app.css']) gzipped += gzipSync(await readFile(join(outdir, name))).length;
  return { gzipped };
}
