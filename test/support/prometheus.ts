import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { closedPort } from './services.js';
import { tempDir } from './temp-dir.js';

/** Debian's Prometheus. */
export const PROMETHEUS = '/usr/bin/prometheus';

export type Sample = { metric: Record<string, string>; value: [number, string] };

/** An instant query of Prometheus's HTTP API (no result on an error). */
export async function query(api: string, expression: string): Promise<Sample[]> {
  const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expression)}`);
  const body = (await res.json()) as { status: string; data: { result: Sample[] } };
  return body.status === 'success' ? body.data.result : [];
}

/** A real Prometheus on a config of its own (as an object), on a free port; its log for failures. */
export async function startPrometheus(
  config: Record<string, unknown>,
): Promise<{ api: string; readonly log: string; stop(): Promise<void> }> {
  const dir = tempDir('watchman-prometheus-');
  const port = await closedPort();
  writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  return {
    api: `http://127.0.0.1:${port}`,
    get log() {
      return log;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
