/** Direct: the client talks to the mock itself, with a key of its own. The baseline. */
import type { Target } from './target';

export function directTarget(mockUrl: string): Target {
  return {
    name: 'direct',
    origin: mockUrl,
    headers: { authorization: 'Bearer sk-bench-direct' },
    pids: () => [],
    stop: async () => {},
  };
}
