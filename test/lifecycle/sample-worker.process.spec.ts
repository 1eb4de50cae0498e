import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { faultProxy } from '../support/fault-proxy.mjs';
import { HAPROXY, haproxyConfig, startHaproxy, untilServerState } from '../support/haproxy.js';
import { using } from '../support/http-app.js';
import { readmeBlock } from '../support/readme-blocks.js';
import { describeIf, needsProgram, needsService } from '../support/requirements.js';
import { closedPort } from '../support/services.js';
import { ROOT, shutDownCleanly, startNode } from '../support/spawn-node.js';
import { tempDir } from '../support/temp-dir.js';

// `npm run start:worker`: the sample as a NATS microservice with no HTTP adapter, probed on
// watchman's probe port, and a real SIGTERM.
const describeNats = describeIf(await needsService('NATS', 4222));

describeNats('the sample worker', () => {
  it('serves the probes on its probe port, drops ready on SIGTERM and exits by itself', async () => {
    const worker = await startNode(
      [join(ROOT, 'sample-app/dist/worker.js')],
      { WATCHMAN_PROBE_PORT: '0', WATCHMAN_PROBE_HOST: '127.0.0.1', WATCHMAN_SHUTDOWN_DELAY_MS: '1000' },
      /sample worker on /,
    );
    await using({ close: () => worker.stop('SIGKILL') }, async () => {
      const url = /probes on (http:\/\/[\d.]+:\d+)\//.exec(worker.stdout)?.[1] ?? '';
      const ready = await fetch(`${url}/watchman/ready?verbose`);
      const text = await ready.text();
      expect([ready.status, text.endsWith('ready check passed\n')]).toEqual([200, true]);
      expect(text).toContain('[+]databases/default ok\n'); // the sample's SQLite, as on the HTTP sample
      expect(await (await fetch(`${url}/watchman/ping`)).text()).toBe('pong');
      const stopping = worker.stop('SIGTERM', 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await fetch(`${url}/watchman/ready`)).status).toBe(503);
      expect((await fetch(`${url}/watchman/live`)).status).toBe(200);
      const stopped = await stopping;
      expect(shutDownCleanly(stopped)).toBe(true);
    });
  }, 40_000);
});

const describeBalanced = describeIf(
  needsProgram(HAPROXY, 'haproxy') ?? (await needsService('NATS', 4222)) ?? (await needsService('PostgreSQL', 5432)),
);

describeBalanced('the sample worker behind HAProxy (check port: the probe port)', () => {
  it('is taken out when its database fails, back when it answers, and out on SIGTERM before it exits', async () => {
    // Closed in reverse: the balancer, the worker, then the proxy.
    await using(faultProxy(5432), async (proxy) => {
      const worker = await startNode(
        [join(ROOT, 'sample-app/dist/worker.js')],
        {
          WATCHMAN_PROBE_PORT: '0',
          WATCHMAN_PROBE_HOST: '127.0.0.1',
          WATCHMAN_SHUTDOWN_DELAY_MS: '4000',
          WATCHMAN_CHECK_TIMEOUT_MS: '500',
          WATCHMAN_OPEN_ROUTE_TTL_MS: '0',
          DATABASE_URL_PG: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
        },
        /sample worker on /,
      );
      await using({ close: () => worker.stop('SIGKILL') }, async () => {
        const dir = tempDir();
        const socket = join(dir, 'haproxy.sock');
        const probePort = /probes on http:\/\/[\d.]+:(\d+)\//.exec(worker.stdout)?.[1];
        // The worker takes no HTTP traffic of its own: HAProxy checks it on its probe port.
        const backend = readmeBlock('haproxy', 'haproxy.cfg')
          .replace('inter 1s', 'inter 200ms')
          .replace(
            'server app1 127.0.0.1:3000 check',
            `server app1 127.0.0.1:${await closedPort()} check port ${probePort}`,
          );
        writeFileSync(join(dir, 'haproxy.cfg'), haproxyConfig(socket, await closedPort(), backend));
        const balancer = await startHaproxy(join(dir, 'haproxy.cfg'), socket);
        await using({ close: () => balancer.stop() }, async () => {
          expect((await untilServerState(socket, 'UP')).status).toBe('UP');
          await proxy.set('refuse');
          expect(await untilServerState(socket, 'DOWN')).toMatchObject({ status: 'DOWN', code: '503' });
          await proxy.set('pass');
          expect((await untilServerState(socket, 'UP')).status).toBe('UP');
          const stopping = worker.stop('SIGTERM', 20_000);
          expect((await untilServerState(socket, 'DOWN', { limitMs: 3500 })).status).toBe('DOWN');
          expect(worker.child.exitCode).toBeNull(); // still running: the balancer saw the 503 first
          expect(shutDownCleanly(await stopping)).toBe(true);
        });
      });
    });
  }, 60_000);
});
