import { spawn } from 'node:child_process';
import { portOpen } from './requirements.js';
import { closedPort } from './services.js';
import { until } from './until.js';

/** Debian's Prometheus Pushgateway. */
export const PUSHGATEWAY = '/usr/bin/prometheus-pushgateway';

/** One group as the Pushgateway's API lists it. */
export interface PushedGroup {
  labels: Record<string, string>;
  [metric: string]: unknown;
}

/**
 * A real Pushgateway on a free loopback port, keeping nothing on disk (Debian's default
 * persistence file is turned off); its log for failures.
 */
export async function startPushgateway(): Promise<{
  url: string;
  readonly log: string;
  groups(): Promise<PushedGroup[]>;
  /** Stops it (for `using()`). */
  close(): Promise<void>;
}> {
  const port = await closedPort();
  const child = spawn(
    PUSHGATEWAY,
    [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=', '--log.level=warn'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  if (!(await until(() => portOpen(port), Boolean))) throw new Error(`the Pushgateway did not start:\n${log}`);
  return {
    url,
    get log() {
      return log;
    },
    groups: async () => ((await (await fetch(`${url}/api/v1/metrics`)).json()) as { data: PushedGroup[] }).data,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
