import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfigText } from '../../src/config/parse';
import { buildSnapshot } from '../../src/routing/config-snapshot';

const COOKBOOK = new URL('../../docs/routing.md', import.meta.url);
const blocks = [...readFileSync(COOKBOOK, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** Every variable the recipes use, so interpolation succeeds (not those that change the listener, store or workers). */
const UNSET = new Set(['PORT', 'HOST', 'SWITCHYARD_STORE_URL', 'SWITCHYARD_STATE_URL', 'SWITCHYARD_WORKERS']);
const env = new Proxy({} as Record<string, string | undefined>, {
  get: (_target, name) =>
    UNSET.has(String(name)) ? undefined : `sk-${String(name).toLowerCase()}-0000000000`,
});

describe('docs/routing.md', () => {
  it('has recipes', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(12);
  });

  it.each(blocks.map((yaml, i) => [i + 1, yaml] as const))(
    'recipe %i is a valid configuration',
    (_n, yaml) => {
      const withoutKeyFiles = yaml.replace(/keys_file: .*/g, 'keys: [sk-from-file-00000000]');
      const config = parseConfigText(withoutKeyFiles, 'docs/routing.md', env);
      const runtime = buildSnapshot(config);
      // What the recipe declares, read with a plain YAML parser: the runtime has exactly that.
      const declared = parse(withoutKeyFiles) as {
        upstreams?: { name: string }[];
        routes?: { name: string }[];
      };
      expect([...runtime.upstreams.keys()]).toEqual((declared.upstreams ?? []).map((u) => u.name));
      const routeNames = runtime.routes.map((r) => r.name);
      expect(routeNames).toEqual(declared.routes ? declared.routes.map((r) => r.name) : ['default']);
    },
  );
});
