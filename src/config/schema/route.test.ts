import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { parseConfigText } from '../parse';

const UPSTREAMS = `upstreams:
  - { name: a, url: "http://a.invalid" }
  - { name: b, url: "http://b.invalid" }
`;

function problems(yaml: string): readonly string[] {
  try {
    parseConfigText(UPSTREAMS + yaml, 'test.yaml', {});
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('routes configuration', () => {
  it('accepts the issue’s example routes and fills the defaults', () => {
    const config = parseConfigText(
      `${UPSTREAMS}routes:
  - name: cheap
    match: { model: "gpt-3.5*" }
    rewrite: { model: gpt-3.5-turbo-0125 }
    upstreams: [a, b]
    strategy: round-robin
  - name: strong
    match: { model: ["gpt-4", "gpt-4-*"] }
    upstreams: [b]
  - name: dns
    match: { path: /dns-query }
    upstreams: [a, b]
    strategy: random
`,
      'test.yaml',
      {},
    );
    expect(config.routes![0]).toMatchObject({ match: { model: ['gpt-3.5*'] }, protocol: 'http' });
    expect(config.routes![1]!.strategy).toBe('round-robin');
  });

  it('names each problem with its field', () => {
    expect(
      problems(`routes:
  - name: r1
    match: { model: { regex: "gpt-(4" }, colour: red }
    upstreams: [a, nope]
    strategy: fastest
  - name: r2
    upstreams: [a]
    reject: true
  - name: r3
    strategy: consistent-hash
    hash: { key: header }
    split:
      groups:
        - { name: g, weight: 0, upstreams: [missing] }
`),
    ).toEqual([
      expect.stringMatching(/^routes\[0\]\.match\.model\.regex: Invalid regular expression/),
      'routes[0].match: unknown field "colour"',
      expect.stringMatching(/^routes\[0\]\.strategy: Invalid option/),
      'routes[1].upstreams: a route needs exactly one of upstreams, split or reject',
      'routes[2].hash.header: key "header" needs the header name in hash.header',
      'routes[2].split.groups: at least one group needs a weight above 0',
    ]);
  });

  it('checks the upstreams named by routes and split groups', () => {
    expect(
      problems(`routes:
  - { name: r1, upstreams: [a, nope] }
  - name: r2
    split: { groups: [{ name: g, upstreams: [missing] }] }
`),
    ).toEqual([
      'routes[0].upstreams[1]: unknown upstream "nope"',
      'routes[1].split.groups[0].upstreams[0]: unknown upstream "missing"',
    ]);
  });

  it('checks probe settings on upstreams', () => {
    expect(
      problems(`  - name: c
    url: "http://c.invalid"
    health_check: { interval: 10ms, expected_status: "20x" }
    keepalive: { cron: "every minute", interval: 3m }
`),
    ).toEqual([
      expect.stringMatching(/^upstreams\[2\]\.health_check\.expected_status/),
      'upstreams[2].health_check.interval: must be at least 1s',
      'upstreams[2].keepalive.interval: give exactly one of interval or cron',
      expect.stringMatching(/^upstreams\[2\]\.keepalive\.cron: /),
    ]);
  });
});
