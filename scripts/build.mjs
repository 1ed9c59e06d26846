// Bundles the gateway into dist/ with esbuild (dependencies stay external), and the web console
// into dist/ui. Type checking is separate: `npm run typecheck` (part of `npm test`).
import { build } from 'esbuild';
import { buildConsole } from './build-ui.mjs';

await build({
  // The request log's writer thread is its own entry: the gateway starts it from beside the bundle.
  entryPoints: {
    switchyard: 'src/cli/main.ts',
    'request-log-thread': 'src/adapter/node/request-log-thread.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
await buildConsole();
