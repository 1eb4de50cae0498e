import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HAPROXY, haproxyConfig, startHaproxy, untilServerState } from '../support/haproxy.js';
import { using } from '../support/http-app.js';
import { readmeBlock } from '../support/readme-blocks.js';
import { describeIf, needsProgram } from '../support/requirements.js';
import { closedPort } from '../support/services.js';
import { shutDownCleanly, startProbeApp } from '../support/spawn-node.js';
import { tempDir } from '../support/temp-dir.js';

// A real HAProxy, with the README's backend block, health-checking a real app process.

const describeHaproxy = describeIf(needsProgram(HAPROXY, 'haproxy'));

describeHaproxy('HAProxy with the README’s health check', () => {
  it('takes the server out when ready fails, puts it back when it recovers, and takes it out on SIGTERM before the port closes', async () => {
    const dir = tempDir();
    const flag = join(dir, 'down');
    const app = await startProbeApp({
      WATCHMAN_CHECKS: 'flag,storage',
      WATCHMAN_SHUTDOWN_DELAY_MS: '4000',
      FLAG_FILE: flag,
    });
    // HAProxy stops first, then the app (SIGKILL, a no-op once it exited by itself).
    await using({ close: () => app.stop('SIGKILL') }, async () => {
      const port = await closedPort();
      const socket = join(dir, 'haproxy.sock');
      const backend = readmeBlock('haproxy', 'haproxy.cfg').replace('127.0.0.1:3000', new URL(app.url).host);
      writeFileSync(join(dir, 'haproxy.cfg'), haproxyConfig(socket, port, backend));
      const proxy = await startHaproxy(join(dir, 'haproxy.cfg'), socket);
      const front = `http://127.0.0.1:${port}`;
      await using({ close: () => proxy.stop() }, async () => {
        expect((await untilServerState(socket, 'UP')).status).toBe('UP');
        expect(await (await fetch(`${front}/watchman/ping`)).text()).toBe('pong');

        // A dependency fails: ready answers 503 and HAProxy marks the server down (layer 7 status).
        writeFileSync(flag, '');
        const down = await untilServerState(socket, 'DOWN');
        expect(down).toMatchObject({ status: 'DOWN', check: 'L7STS', code: '503' });
        expect((await fetch(`${front}/watchman/ping`)).status).toBe(503); // nothing left to serve
        expect((await fetch(`${app.url}/watchman/live`)).status).toBe(200); // the app itself is alive

        rmSync(flag);
        expect((await untilServerState(socket, 'UP')).status).toBe('UP');

        // SIGTERM: ready drops at once, HAProxy takes the server out while it still listens.
        const stopping = app.stop('SIGTERM', 20_000);
        const out = await untilServerState(socket, 'DOWN', { limitMs: 3500 });
        expect(out).toMatchObject({ status: 'DOWN', check: 'L7STS', code: '503' });
        expect(app.child.exitCode).toBeNull(); // still running: the balancer saw the 503 first
        const stopped = await stopping;
        expect(shutDownCleanly(stopped)).toBe(true);
      });
    });
  }, 60_000);
});
