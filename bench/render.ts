/** `tsx bench/render.ts FILE.json`: prints the markdown report of a saved run with today's formatter. */
import { readFileSync } from 'node:fs';
import { type BenchResults, renderMarkdown } from './report/render';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: tsx bench/render.ts bench/results/FILE.json\n');
  process.exit(2);
}
const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
process.stdout.write(renderMarkdown(results, 20));
