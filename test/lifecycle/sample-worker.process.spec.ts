import { join } from 'node:path';
import { describeIf, needsService } from '../support/requirements.js';
import { ROOT, shutDownCleanly, startNode } from '../support/spawn-node.js';

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
    try {
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
    } finally {
      await worker.stop('SIGKILL');
    }
  }, 40_000);
});
