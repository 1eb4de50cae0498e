import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { until } from './until.js';

/** Debian's HAProxy. */
export const HAPROXY = '/usr/sbin/haproxy';

/** One row of HAProxy's `show stat` for the server. */
export async function serverState(
  socket: string,
  server = 'app1',
): Promise<{ status: string; check: string; code: string; downs: number }> {
  const csv = await new Promise<string>((resolve, reject) => {
    const client = connect(socket);
    let text = '';
    client.on('data', (chunk) => (text += chunk));
    client.on('end', () => resolve(text));
    client.on('error', reject);
    client.write('show stat\n');
  });
  const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n');
  const names = header.split(',');
  const row = rows.map((line) => line.split(',')).find((cells) => cells[names.indexOf('svname')] === server);
  const cell = (name: string) => row?.[names.indexOf(name)] ?? '';
  // chkdown: how many times its health checks took the server from UP to DOWN.
  return {
    status: cell('status'),
    check: cell('check_status'),
    code: cell('check_code'),
    downs: Number(cell('chkdown')),
  };
}

/** A whole haproxy.cfg: an admin stats socket, a frontend on `port`, and the given backend block. */
export function haproxyConfig(socket: string, port: number, backend: string): string {
  return `${[
    'global',
    `    stats socket ${socket} mode 600 level admin`,
    'defaults',
    '    mode http',
    '    timeout connect 1s',
    '    timeout client 5s',
    '    timeout server 5s',
    'frontend front',
    `    bind 127.0.0.1:${port}`,
    '    default_backend app',
    backend,
  ].join('\n')}\n`;
}

/** Polls `show stat` until the server is `status` (UP, DOWN); resolves with the last row read. */
export function untilServerState(
  socket: string,
  status: string,
  { server = 'app1', limitMs }: { server?: string; limitMs?: number } = {},
): ReturnType<typeof serverState> {
  return until(
    () => serverState(socket, server),
    (state) => state.status === status,
    { limitMs },
  );
}

/** Starts HAProxy on a config (foreground), once its stats socket is there. */
export async function startHaproxy(config: string, socket: string): Promise<{ stop(): Promise<void> }> {
  const child = spawn(HAPROXY, ['-f', config, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 10_000;
  while (!existsSync(socket)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`haproxy did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
