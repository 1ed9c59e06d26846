import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

/** One Dockerfile instruction, continuation lines joined, comments dropped. */
export interface Instruction {
  readonly op: string;
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly name: string;
  readonly image: string;
  readonly instructions: Instruction[];
}

export function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    while (line.endsWith('\\')) {
      line = `${line.slice(0, -1).trimEnd()} `;
      let next = lines[++i]!.trim();
      while (next.startsWith('#')) next = lines[++i]!.trim();
      line += next;
    }
    const space = line.indexOf(' ');
    const op = line.slice(0, space).toUpperCase();
    const rest = line.slice(space + 1).trim();
    const current = stages[stages.length - 1];
    if (op === 'FROM') {
      const [image, as, name] = rest.split(/\s+/);
      stages.push({
        name: as?.toUpperCase() === 'AS' ? name! : String(stages.length),
        image: substitute(image!, args),
        instructions: [],
      });
    } else if (op === 'ARG' && !current) {
      const [name, value] = rest.split('=');
      args[name!] = value ?? '';
    } else current?.instructions.push({ op, args: rest, line: start + 1 });
  }
  return { args, stages };
}

function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, name: string) => vars[name] ?? '');
}

/** `ENV A=1 B=2` (the only form the Dockerfile uses). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { op, args } of stage.instructions) {
    if (op !== 'ENV') continue;
    for (const pair of args.split(/\s+/)) {
      const eq = pair.indexOf('=');
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}

export function only(stage: Stage, op: string): Instruction[] {
  return stage.instructions.filter((i) => i.op === op);
}

/** The argument list of an exec-form instruction (`CMD ["node", "x"]`), or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  const json = args.startsWith('CMD ') ? args.slice(4) : args;
  if (!json.trim().startsWith('[')) return undefined;
  return JSON.parse(json) as string[];
}

export interface BuildOptions {
  /** The repository: the build context. */
  readonly context: string;
  /** Where the stages' file systems are made (one folder per stage). */
  readonly scratch: string;
  /**
   * The steps that need what tests may not use: `npm ci` would download the locked packages,
   * so the already installed tree is copied instead; its lifecycle script then runs for real.
   * Returns true when it handled the command.
   */
  readonly substitute: (command: string, cwd: string) => boolean;
  /** Commands that need root or users of the image (chown): checked by the caller, not run. */
  readonly skip: (command: string) => boolean;
}

/**
 * Runs a Dockerfile's stages without a container engine: each stage's root is a folder, WORKDIR
 * and COPY map into it, and every RUN runs with `sh -c` in the mapped working folder, absolute
 * paths rewritten into the stage's root. Returns the final stage's root.
 */
export function runStages(stages: readonly Stage[], options: BuildOptions): Map<string, string> {
  const roots = new Map<string, string>();
  for (const stage of stages) {
    const root = join(options.scratch, `stage-${stage.name}`);
    mkdirSync(root, { recursive: true });
    roots.set(stage.name, root);
    let workdir = '/';
    for (const { op, args } of stage.instructions) {
      if (op === 'WORKDIR') {
        workdir = isAbsolute(args) ? args : join(workdir, args);
        mkdirSync(join(root, workdir), { recursive: true });
      } else if (op === 'COPY') copy(args, root, workdir, roots, options.context);
      else if (op === 'RUN') run(args, root, workdir, options);
    }
  }
  return roots;
}

function copy(
  args: string,
  root: string,
  workdir: string,
  roots: Map<string, string>,
  context: string,
): void {
  const words = args.split(/\s+/);
  const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((w) => !w.startsWith('--'));
  const dest = paths.pop()!;
  const destAbs = isAbsolute(dest) ? dest : join(workdir, dest);
  const base = from === undefined ? context : roots.get(from);
  if (base === undefined) throw new Error(`COPY --from=${from}: no such stage`);
  for (const source of paths) {
    const src = join(base, source);
    if (!existsSync(src)) throw new Error(`COPY ${source}: not found in ${from ?? 'the build context'}`);
    const target =
      dest.endsWith('/') || paths.length > 1
        ? join(root, destAbs, source.split('/').pop()!)
        : join(root, destAbs);
    // Between stages, hard links: the same files, without copying node_modules byte by byte.
    if (from !== undefined) {
      mkdirSync(dirname(target), { recursive: true });
      execFileSync('cp', ['-al', src, target]);
    } else cpSync(src, target, { recursive: true });
  }
}

function run(command: string, root: string, workdir: string, options: BuildOptions): void {
  const cwd = join(root, workdir);
  for (const part of command.split('&&').map((p) => p.trim())) {
    if (options.skip(part) || options.substitute(part, cwd)) continue;
    const mapped = part.replace(
      /(^|\s)(\/[A-Za-z][\w./-]*)/g,
      (_m, lead: string, path: string) => `${lead}${join(root, path)}`,
    );
    execFileSync('sh', ['-c', mapped], {
      cwd,
      stdio: 'pipe',
      env: { ...process.env, npm_config_offline: 'true' },
    });
  }
}

export function readDockerfile(repo: string): string {
  return readFileSync(join(repo, 'Dockerfile'), 'utf8');
}
