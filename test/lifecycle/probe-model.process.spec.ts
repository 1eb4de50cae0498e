import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HAPROXY, haproxyConfig, serverState, startHaproxy, untilServerState } from '../support/haproxy.js';
import { ADAPTERS, using } from '../support/http-app.js';
import { PROMETHEUS, query, startPrometheus } from '../support/prometheus.js';
import { readmeBlock } from '../support/readme-blocks.js';
import { describeIf, needsProgram } from '../support/requirements.js';
import { closedPort } from '../support/services.js';
import { shutDownCleanly, startProbeApp } from '../support/spawn-node.js';
import { tempDir } from '../support/temp-dir.js';
import { until } from '../support/until.js';

// The probe model with the real clients: HAProxy (the README's backend block, checking fast)
// in front of two processes whose `flap` check fails one run in three — one with failAfter: 3,
// one without — and a real Prometheus scraping the first during the same flapping.

const describeClients = describeIf(needsProgram(HAPROXY, 'haproxy') ?? needsProgram(PROMETHEUS, 'prometheus'));
const TOKEN = 'probe-model-token';
const FLAPPING_MS = 8_000;

const flapApp = (adapter: string, options: Record<string, unknown>) =>
  startProbeApp({
    HTTP_ADAPTER: adapter,
    WATCHMAN_CHECKS: 'flap',
    WATCHMAN_TOKENS: TOKEN,
    WATCHMAN_OPEN_ROUTE_TTL_MS: '0', // every HAProxy check is a run of its own
    WATCHMAN_CHECK_OPTIONS: JSON.stringify({ flap: options }),
  });

describeClients('HAProxy and Prometheus on the probe model', () => {
  it.each(ADAPTERS)(
    'on %s: failAfter: 3 keeps a flapping server in rotation and its gauge at 1; markNotReady takes it out',
    async (adapter) => {
      const held = await flapApp(adapter, { failAfter: 3 });
      const bare = await flapApp(adapter, {});
      // Closed in reverse: HAProxy, Prometheus, then both apps at once (SIGKILL).
      await using({ close: () => Promise.all([held, bare].map((app) => app.stop('SIGKILL'))) }, async () => {
        const dir = tempDir();
        const socket = join(dir, 'haproxy.sock');
        const port = await closedPort();
        const server = (name: string, app: { url: string }) => `server ${name} ${new URL(app.url).host} check`;
        const backend = readmeBlock('haproxy', 'haproxy.cfg')
          .replace('inter 1s', 'inter 200ms')
          .replace('server app1 127.0.0.1:3000 check', `${server('held', held)}\n    ${server('bare', bare)}`);
        writeFileSync(join(dir, 'haproxy.cfg'), haproxyConfig(socket, port, backend));
        const prometheus = await startPrometheus({
          global: { scrape_interval: '500ms', scrape_timeout: '400ms' },
          scrape_configs: [
            {
              job_name: 'watchman',
              metrics_path: '/watchman/metrics',
              authorization: { type: 'WATCHMAN-TOKEN', credentials: `Token="${TOKEN}"` },
              static_configs: [{ targets: [new URL(held.url).host] }],
            },
          ],
        });
        await using({ close: () => prometheus.stop() }, async () => {
          const proxy = await startHaproxy(join(dir, 'haproxy.cfg'), socket);
          await using({ close: () => proxy.stop() }, async () => {
            try {
              await untilServerState(socket, 'UP', { server: 'held' });
              await until(
                () => query(prometheus.api, 'watchman_check_up{check="flap"}'),
                (samples) => samples.length === 1,
                { limitMs: 30_000, everyMs: 250 },
              );
              const start = {
                held: (await serverState(socket, 'held')).downs,
                bare: (await serverState(socket, 'bare')).downs,
              };
              await new Promise((resolve) => setTimeout(resolve, FLAPPING_MS));
              const downs = {
                held: (await serverState(socket, 'held')).downs - start.held,
                bare: (await serverState(socket, 'bare')).downs - start.bare,
              };
              console.log(
                `${adapter}: over ${FLAPPING_MS} ms of flapping (one failing answer in three), HAProxy took the server down ${downs.held} times with failAfter: 3 and ${downs.bare} times without`,
              );
              expect(downs.held).toBe(0);
              expect(downs.bare).toBeGreaterThanOrEqual(2);
              // Prometheus never saw the gauge at 0, over every scrape of the flapping.
              const lowest = await query(prometheus.api, 'min_over_time(watchman_check_up{check="flap"}[1m])');
              const scrapes = await query(prometheus.api, 'count_over_time(watchman_check_up{check="flap"}[1m])');
              expect(Number(scrapes[0]?.value[1])).toBeGreaterThanOrEqual(8);
              expect(lowest[0]?.value[1]).toBe('1');

              // The app's own word: markNotReady takes it out of rotation, markReady puts it back.
              await fetch(`${held.url}/control/not-ready`);
              const out = await untilServerState(socket, 'DOWN', { server: 'held' });
              expect(out).toMatchObject({ status: 'DOWN', code: '503' });
              expect((await fetch(`${held.url}/watchman/live`)).status).toBe(200);
              await fetch(`${held.url}/control/ready`);
              expect((await untilServerState(socket, 'UP', { server: 'held' })).status).toBe('UP');
            } catch (error) {
              throw new Error(`${(error as Error).message}\nprometheus log:\n${prometheus.log}`, { cause: error });
            }
          });
        });
      });
    },
    90_000,
  );
});

describe.each(ADAPTERS)('a real SIGTERM while holdReadiness is pending on %s', (adapter) => {
  it('answers ready 503 meanwhile and exits cleanly', async () => {
    const app = await startProbeApp({
      HTTP_ADAPTER: adapter,
      WATCHMAN_CHECKS: 'storage',
      WATCHMAN_TOKENS: TOKEN,
      HOLD_READINESS_MS: '600000',
      WATCHMAN_SHUTDOWN_DELAY_MS: '300',
    });
    await using({ close: () => app.stop('SIGKILL') }, async () => {
      const ready = await fetch(`${app.url}/watchman/ready?verbose&watchman-token=${TOKEN}`);
      expect([ready.status, await ready.text()]).toEqual([
        503,
        '[+]storage ok\n[-]availability failed: warmup: pending\nready check failed\n',
      ]);
      const stopped = await app.stop('SIGTERM', 15_000);
      expect(shutDownCleanly(stopped)).toBe(true);
    });
  }, 30_000);
});
