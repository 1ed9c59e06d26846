#!/usr/bin/env node
/**
 * Mutation checks for promises the suite must keep: each mutant breaks one function in a scratch
 * copy of the repository (the working tree is never touched), runs the tests that should notice,
 * and expects them to fail. Prints killed/survived per mutant; exits 1 when one survives.
 * Slow (it runs several test files per mutant), so it is not part of `npm test`: `npm run mutants`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

const MUTANTS = [
  {
    name: 'retry after commit: a stream cut after its head is retried',
    file: 'src/proxy/attempt.ts',
    find: '    if (this.committed) this.report.streamBroke(this, record, err);',
    replace: '    if (false) this.report.streamBroke(this, record, err);',
    tests: ['test/proxy/streaming.test.ts'],
    // Other streaming tests notice only by hanging until their timeout: this one must kill it.
    only: 'does not retry a stream cut after its head',
  },
  {
    name: 'health across a reload: applyConfig wipes the health registry',
    file: 'src/core/gateway.ts',
    find: '  applyConfig(config: Config): void {\n',
    replace: [
      '  applyConfig(config: Config): void {',
      '    const wiped = this.health as unknown as { keys?: Map<string, unknown>; upstreams?: Map<string, unknown> };',
      '    wiped.keys?.clear();',
      '    wiped.upstreams?.clear();',
      '',
    ].join('\n'),
    tests: ['test/health/reload-health.test.ts', 'test/admin/reload.test.ts'],
  },
  {
    name: 'token estimates: the token counter returns 1 for everything',
    file: 'src/access/usage/tokenizer.ts',
    find: '  if (text.length === 0) return 0;\n',
    replace: '  if (text.length === 0) return 0;\n  return 1;\n',
    tests: ['test/access/usage.test.ts', 'test/access/quota.test.ts'],
  },
];

/** A copy of the sources and tests; node_modules is linked, not copied. */
function scratchCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-mutants-'));
  for (const entry of ['src', 'test', 'package.json', 'tsconfig.json', 'vitest.config.ts']) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function runTests(dir, tests, only) {
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...tests, ...(only ? ['-t', only] : [])],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: '' },
    },
  );
  return {
    passed: run.status === 0,
    seconds: (Date.now() - started) / 1000,
    output: run.stdout + run.stderr,
  };
}

function main() {
  const dir = scratchCopy();
  const survivors = [];
  try {
    const baseline = runTests(dir, [...new Set(MUTANTS.flatMap((m) => m.tests))]);
    if (!baseline.passed) {
      process.stdout.write(baseline.output);
      throw new Error('the tests fail without any mutant: fix them first');
    }
    console.log(`baseline: the tests pass unmutated (${baseline.seconds.toFixed(1)} s)`);
    for (const mutant of MUTANTS) {
      const path = join(dir, mutant.file);
      const original = readFileSync(path, 'utf8');
      if (!original.includes(mutant.find)) throw new Error(`${mutant.file}: the mutated text is gone`);
      writeFileSync(path, original.replace(mutant.find, mutant.replace));
      const result = runTests(dir, mutant.tests, mutant.only);
      writeFileSync(path, original);
      const verdict = result.passed ? 'SURVIVED' : 'killed';
      if (result.passed) survivors.push(mutant.name);
      console.log(`${verdict.padEnd(8)} ${mutant.name} (${result.seconds.toFixed(1)} s)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${MUTANTS.length - survivors.length}/${MUTANTS.length} mutants killed`);
  if (survivors.length > 0) process.exitCode = 1;
}

main();
