import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  envOf,
  execForm,
  only,
  parseDockerfile,
  readDockerfile,
  runStages,
  type Stage,
} from '../helpers/dockerfile';
import { replyChat, startMock } from '../helpers/mock-upstream';

const ROOT = join(import.meta.dirname, '..', '..');
const { args, stages } = parseDockerfile(readDockerfile(ROOT));
const final = stages[stages.length - 1]!;

function volumes(stage: Stage): string[] {
  return only(stage, 'VOLUME').flatMap((v) => execForm(v.args) ?? v.args.split(/\s+/));
}

describe('the Dockerfile, read', () => {
  it('builds in two stages on a pinned Node 20 LTS image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(args.NODE_IMAGE).toMatch(/^node:20\.\d+\.\d+-(bookworm-slim|alpine\d\.\d+)$/);
    for (const stage of stages) expect(stage.image).toBe(args.NODE_IMAGE);
    expect(only(final, 'COPY').every((c) => c.args.startsWith('--from='))).toBe(true);
  });

  it('runs as an unprivileged user, with /data as a volume, a health check and an exec-form CMD', () => {
    const users = only(final, 'USER').map((u) => u.args);
    expect(users.at(-1)).toBe('node');
    expect(volumes(final)).toEqual(['/data']);
    expect(envOf(final).SWITCHYARD_STORE_PATH).toBe('/data/switchyard.db');
    const health = only(final, 'HEALTHCHECK')[0]!.args;
    expect(health).toContain('/health');
    expect(execForm(health.slice(health.indexOf('CMD ')))).toBeDefined();
    const cmd = execForm(only(final, 'CMD')[0]!.args);
    expect(cmd?.[0]).toBe('node');
    expect(only(final, 'EXPOSE')[0]!.args).toBe(envOf(final).PORT);
  });

  it('copies nothing the .dockerignore leaves out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const copied = stages.flatMap((s) =>
      only(s, 'COPY')
        .filter((c) => !c.args.startsWith('--from='))
        .flatMap((c) => c.args.split(/\s+/).slice(0, -1)),
    );
    expect(copied).toContain('src');
    for (const path of copied) expect(ignored).not.toContain(path);
  });
});

describe('the Dockerfile, built and started without a container engine', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'sy-docker-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('builds, answers /health and its HEALTHCHECK, proxies, writes only to /data and stops on SIGTERM', async () => {
    const roots = runStages(stages, {
      context: ROOT,
      scratch,
      substitute: (command, cwd) => {
        if (!/^npm ci\b/.test(command)) return false;
        // No registry in tests: the installed tree stands in for the download; the lifecycle
        // script npm ci runs after installing (prepare: the bundle) runs for real.
        execFileSync('cp', ['-al', join(ROOT, 'node_modules'), join(cwd, 'node_modules')]);
        execFileSync('npm', ['run', 'prepare'], { cwd, stdio: 'pipe' });
        return true;
      },
      // chown needs root and the image's user: the test checks it names the volume and that user.
      skip: (command) => {
        if (!command.startsWith('chown ')) return false;
        expect(command).toBe(`chown node:node ${volumes(final)[0]}`);
        return true;
      },
    });
    const root = roots.get(final.name)!;
    expect(existsSync(join(root, 'app/node_modules/vitest'))).toBe(false);
    const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
    for (const [name, value] of Object.entries(envOf(final))) {
      env[name] = value.startsWith('/data') ? join(root, value) : value;
    }
    const mock = await startMock(replyChat());
    const workdir = only(final, 'WORKDIR').at(-1)!.args;
    const appFiles = () => readdirSync(join(root, workdir)).sort();
    const shipped = appFiles();
    const [command, ...rest] = execForm(only(final, 'CMD')[0]!.args)!;
    const child = spawn(command === 'node' ? process.execPath : command!, rest, {
      cwd: join(root, workdir),
      env: { ...env, PORT: '0', SWITCHYARD_UPSTREAM_URL: mock.url, SWITCHYARD_KEYS: 'sk-docker-key-0001' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const url = await listeningUrl(child);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const reply = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"m","messages":[{"role":"user","content":"hi"}]}',
    });
    expect(reply.status).toBe(200);
    expect(mock.requests[0]!.headers.authorization).toBe('Bearer sk-docker-key-0001');
    expect(existsSync(join(root, 'data/switchyard.db'))).toBe(true);
    expect(existsSync(join(root, 'data/secret.key'))).toBe(true);
    const port = new URL(url).port;
    const check = execForm(only(final, 'HEALTHCHECK')[0]!.args.replace(/^.*?CMD /, 'CMD '))!;
    execFileSync(process.execPath, check.slice(1), { env: { ...env, PORT: port }, stdio: 'pipe' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(appFiles()).toEqual(shipped);
    await mock.close();
  }, 60_000);
});

function listeningUrl(child: ChildProcess): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) resolve(match[1]!.replace('0.0.0.0', '127.0.0.1'));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}
