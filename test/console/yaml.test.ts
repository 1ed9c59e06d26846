import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configYaml } from '../../ui/src/yaml';

describe("the console's YAML export", () => {
  it('writes block YAML that a YAML parser reads back as the same value', () => {
    const value = {
      server: { port: 8080, cors: null, trust_proxy: false, hosts: ['a', 'b:c', '*.x'] },
      upstreams: [
        { name: 'openai', keys: 3, headers: { authorization: 'Bearer...abcd' }, models: ['gpt-4o*'] },
        { name: 'yes', priority: 1.5, empty: {}, none: [] },
      ],
      routes: [[1, 2], { match: { model: '#not-a-comment' } }],
      text: 'line one\nline two',
      tricky: ['true', 'null', '12', '', ' padded', '- dash', 'a: b'],
    };
    const text = configYaml(value);
    expect(parse(text)).toEqual(value);
    expect(text.startsWith('server:\n  port: 8080\n')).toBe(true);
  });
});
