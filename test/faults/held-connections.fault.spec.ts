import { type Socket, createConnection } from 'node:net';
import { ADAPTERS, using } from '../support/http-app.js';
import { KeepAlivePoller } from '../support/keep-alive-poller.js';
import { shutDownCleanly, startProbeApp } from '../support/spawn-node.js';
import { until } from '../support/until.js';

// A real SIGTERM while clients hold connections that Node's `server.close()` would wait for
// (the red team's `node -e "require('net').connect(PORT)"` held a process for 130 s): one only
// connected, one with half its request sent, one trickling a body, one idle keep-alive. They
// are closed after the delay and the process ends by itself.

const SHUTDOWN_DELAY_MS = 1_000;
/** Far below Node's own request timeouts (60 s headers, 300 s request), far above delay + 2 s. */
const HARD_LIMIT_MS = 20_000;

interface Held {
  name: string;
  socket: Socket;
  closedAt?: number;
}

function hold(url: string, name: string, send: (socket: Socket) => void): Promise<Held> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection(Number(port), hostname, () => {
      send(socket);
      resolve(held);
    });
    const held: Held = { name, socket };
    socket.resume(); // read what comes, so its end (and close) are seen
    socket.on('error', () => undefined); // a reset is how the server lets go
    socket.on('close', () => (held.closedAt ??= Date.now()));
    socket.once('error', reject);
  });
}

describe.each(ADAPTERS)('SIGTERM with held client connections on %s', (adapter) => {
  it.each([
    ['Nest defaults', ''],
    ['return503OnClosing', '1'],
  ])(
    'closes them after the delay and exits by itself (%s)',
    async (_, return503) => {
      const app = await startProbeApp({
        HTTP_ADAPTER: adapter,
        WATCHMAN_CHECKS: 'storage',
        WATCHMAN_SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
        RETURN_503_ON_CLOSING: return503,
      });
      let sigtermAt = 0;
      const since = () => (sigtermAt === 0 ? -1 : Date.now() - sigtermAt);
      const pollers = ['/watchman/ping', '/watchman/live'].map(
        (route) => new KeepAlivePoller(app.url, route, since, 20),
      );
      const trickle: NodeJS.Timeout[] = [];
      // The trickles and the pollers stop first, then the app (SIGKILL, a no-op once it exited by itself).
      const cleanup = {
        close: async () => {
          trickle.forEach(clearInterval);
          await Promise.all(pollers.map((poller) => poller.stop()));
          await app.stop('SIGKILL');
        },
      };
      await using(cleanup, async () => {
        const held = await Promise.all([
          hold(app.url, 'only connected', () => undefined),
          hold(app.url, 'half-sent request', (socket) => socket.write('GET /watchman/ping HTTP/1.1\r\nHost: x\r\n')),
          hold(app.url, 'slow body', (socket) => {
            socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n');
            trickle.push(setInterval(() => socket.write('x'), 100));
          }),
          hold(app.url, 'idle keep-alive', (socket) => socket.write('GET /watchman/ping HTTP/1.1\r\nHost: x\r\n\r\n')),
        ]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        sigtermAt = Date.now();
        const stopped = await app.stop('SIGTERM', HARD_LIMIT_MS);
        await Promise.all(pollers.map((poller) => poller.stop()));

        expect(shutDownCleanly(stopped)).toBe(true); // by itself, not the SIGKILL at the hard limit
        expect(stopped.stoppedAfterMs).toBeGreaterThanOrEqual(SHUTDOWN_DELAY_MS);
        const open = () => held.filter(({ closedAt }) => closedAt === undefined).map(({ name }) => name);
        expect(await until(open, (names) => names.length === 0, { limitMs: 5_000, everyMs: 20 })).toEqual([]);
        // ping and live never answered anything but 200 while the port was open.
        for (const poller of pollers) {
          const statuses = new Set(poller.seen.flatMap(({ status }) => (status === undefined ? [] : [status])));
          expect({ route: poller.route, statuses: [...statuses] }).toEqual({ route: poller.route, statuses: [200] });
          expect(poller.seen.some(({ at, status }) => status === 200 && at >= SHUTDOWN_DELAY_MS * 0.5)).toBe(true);
        }
        console.log(
          `${adapter}${return503 ? ' (return503OnClosing)' : ''}: exited ${stopped.stoppedAfterMs} ms after SIGTERM ` +
            `(shutdownDelay ${SHUTDOWN_DELAY_MS} ms); held connections closed at ` +
            held.map(({ name, closedAt = 0 }) => `${name} +${closedAt - sigtermAt} ms`).join(', '),
        );
      });
    },
    40_000,
  );
});
