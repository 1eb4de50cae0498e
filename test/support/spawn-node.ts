import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from './temp-dir.js';

export const ROOT = join(import.meta.dirname, '../..');

/** How a child process ended. */
export interface NodeRun {
  code: number | null;
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** PATH, HOME, a fresh MEDIA_ROOT and NO_COLOR, then `env`: what every spawned process gets, and nothing else. */
export function baseEnv(env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    MEDIA_ROOT: tempDir(),
    NO_COLOR: '1',
    ...env,
  };
}

/** Runs `node ...args` from the repo root with a clean environment (PATH, HOME, a fresh MEDIA_ROOT, then env). */
export function runNode(args: string[], env: Record<string, string> = {}): Promise<NodeRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
}

/** A long-running node process (a server), its output so far, and how to stop it. */
export interface NodeServer {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once the process has ended. */
  exited: Promise<NodeRun>;
  /** Sends a signal and waits for the exit, killing it after `timeoutMs` (then `signal` is SIGKILL). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<NodeRun & { stoppedAfterMs: number }>;
}

/** Starts `node ...args` and resolves once its output matches `ready` (or rejects if it exits first). */
export function startNode(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 20_000,
): Promise<NodeServer> {
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<NodeRun>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })),
  );
  const server: NodeServer = {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    async stop(signal = 'SIGTERM', limit = 10_000) {
      const sentAt = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), limit);
      const run = await exited;
      clearTimeout(timer);
      return { ...run, stoppedAfterMs: Date.now() - sentAt };
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ready after ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    const onData = () => {
      if (ready.test(stdout) || ready.test(stderr)) {
        clearTimeout(timer);
        resolve(server);
      }
    };
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      onData();
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      onData();
    });
    void exited.then((run) => {
      clearTimeout(timer);
      reject(new Error(`exited (${run.code ?? run.signal}) before it was ready:\n${run.stdout}\n${run.stderr}`));
    });
  });
}

/**
 * Whether a process ended by itself after a graceful shutdown: Nest's signal hooks close the
 * app, log it, then re-raise the signal, so the exit is that signal (or code 0), never SIGKILL.
 */
export function shutDownCleanly(run: NodeRun, signal: NodeJS.Signals = 'SIGTERM'): boolean {
  return (run.code === 0 || run.signal === signal) && /shut down/.test(run.stdout);
}

/** The sample app in its own process, on a free port; resolves once it listens. */
export async function startSampleApp(env: Record<string, string>): Promise<NodeServer & { url: string }> {
  const server = await startNode(
    [join(ROOT, 'sample-app/dist/main.js')],
    { PORT: '0', HOST: '127.0.0.1', ...env },
    /sample app \(\w+\) on /,
  );
  const port = /on http:\/\/localhost:(\d+)\//.exec(server.stdout)?.[1];
  return Object.assign(server, { url: `http://127.0.0.1:${port}` });
}

/** The probe fixture app (test/fixtures/probe-app) in its own process; resolves once it listens. */
export async function startProbeApp(env: Record<string, string>): Promise<NodeServer & { url: string }> {
  const main = join(ROOT, 'test/fixtures/dist/probe-app/main.js');
  const server = await startNode([main], env, /probe app listening on /);
  const url = /listening on (http:\/\/[\d.:]+)/.exec(server.stdout)?.[1] ?? '';
  return Object.assign(server, { url });
}
