/** Reads a V8 `.cpuprofile` and sums self time per function and per area (ours, undici, node, …). */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly hitCount?: number;
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly where: string;
  readonly share: number;
}

/** Which part of the process a frame belongs to, from its script URL. */
export function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : 'native';
  if (url.includes('/node_modules/undici/')) return 'undici';
  if (url.includes('/node_modules/pino') || url.includes('/node_modules/sonic-boom')) return 'pino';
  if (url.includes('/node_modules/')) return `npm:${url.split('/node_modules/')[1]!.split('/')[0]}`;
  if (url.startsWith('node:')) return url.includes('http') || url.includes('_http') ? 'node:http' : 'node';
  if (url.includes('/dist/') || url.includes('/src/')) return 'switchyard';
  return 'other';
}

function shortWhere(url: string, line: number): string {
  const file = url.split('/').slice(-2).join('/');
  return file ? `${file}:${line + 1}` : '';
}

/** Self time shares by function (top `limit`) and by area, over the whole profile. */
export function selfTimes(profile: CpuProfile, limit: number): { functions: SelfTime[]; areas: SelfTime[] } {
  const hits = new Map<number, number>();
  if (profile.samples) for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  let total = 0;
  const byFunction = new Map<string, SelfTime & { hits: number }>();
  const byArea = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = profile.samples ? (hits.get(node.id) ?? 0) : (node.hitCount ?? 0);
    if (count === 0) continue;
    total += count;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const key = `${name}|${url}|${lineNumber}`;
    const entry = byFunction.get(key) ?? { name, where: shortWhere(url, lineNumber), share: 0, hits: 0 };
    entry.hits += count;
    byFunction.set(key, entry);
    const area = areaOf(url, name);
    byArea.set(area, (byArea.get(area) ?? 0) + count);
  }
  const functions = [...byFunction.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, limit)
    .map((entry) => ({ name: entry.name, where: entry.where, share: entry.hits / total }));
  const areas = [...byArea.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => ({ name, where: '', share: count / total }));
  return { functions, areas };
}
