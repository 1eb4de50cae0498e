import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { WatchmanCheck } from 'nestjs-watchman';
import { using } from '../support/http-app.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { httpRecorder } from '../support/http-recorder.js';
import { closedPort } from '../support/services.js';
import { shutDownCleanly, startSampleApp } from '../support/spawn-node.js';
import { until } from '../support/until.js';
import { watchmanApp } from '../support/watchman-app.js';

// Every publisher pointed at an endpoint that accepts and never answers, or at a refused port,
// with secrets in its URL: responses are unaffected, each publisher logs one line (no secret
// in it), and shutdown still completes — in a real process too, with a minute-long timeout.

const SECRET = 's3cr3t';
const state = { orders: true };

@WatchmanCheck('orders')
@Injectable()
class OrdersCheck {
  check() {
    if (!state.orders) throw new Error('orders is down');
  }
}

/** The three publishers' URLs on one port, each with a password, a secret path and a token. */
function publishAt(port: number, timeout: number) {
  const url = (path: string) =>
    `http://watchman:${SECRET}-pw@127.0.0.1:${port}/${path}/${SECRET}-path?token=${SECRET}-q`;
  return {
    timeout,
    webhook: { url: url('hook') },
    pushgateway: { url: url('push'), interval: 100 },
    heartbeat: { url: url('beat'), interval: 100 },
  };
}

/** The hung recorder, or a port nothing listens on. */
async function endpoint(kind: 'hung' | 'refused'): Promise<{ port: number; open(): number; close(): Promise<void> }> {
  if (kind === 'hung') return httpRecorder('hang');
  return { port: await closedPort(), open: () => 0, close: async () => undefined };
}

const publisherLines = (logger: RecordingLogger) =>
  logger.watchman().filter((line) => / publisher /.test(line.message));

describe.each([
  // Nothing times out while the test runs: every request stays held.
  ['hangs (accepts, never answers), timeout 60 s', 'hung', 60_000, ['pushgateway']],
  ['hangs (accepts, never answers), timeout 300 ms', 'hung', 300, ['heartbeat', 'pushgateway', 'webhook']],
  ['refuses connections', 'refused', 300, ['heartbeat', 'pushgateway', 'webhook']],
] as const)('publishers whose endpoint %s', (_, kind, timeout, logged) => {
  it('leave every response as it was, log at most one line each with no secret in it, and let the app close', () =>
    using(endpoint(kind), async (target) => {
      const logger = new RecordingLogger();
      state.orders = true;
      const app = watchmanApp({ checks: ['orders'], publish: publishAt(target.port, timeout) }, OrdersCheck).logger(
        logger,
      );
      await using(app.start(), async (running) => {
        for (const ok of [false, true, false, true, false, true]) {
          state.orders = ok;
          const responses = await Promise.all(Array.from({ length: 10 }, () => request(running.url).get('/watchman')));
          expect(responses.map((res) => res.status)).toEqual(Array.from({ length: 10 }, () => (ok ? 200 : 500)));
          // The answers came while the endpoint held requests it never answers.
          if (timeout === 60_000) expect(target.open()).toBeGreaterThan(0);
        }
        await request(running.url).get('/watchman/ready').expect(200);
        if (timeout === 300) {
          // Many attempts of each have failed by now (pushes and beats every 100 ms, six flips).
          const lines = await until(
            () => publisherLines(logger),
            (found) => found.length >= 3,
          );
          expect(lines.every((line) => line.level === 'warn')).toBe(true);
          expect(lines[0].message).toContain(`http://127.0.0.1:${target.port}`);
        }
      });
      // Closing cut what was still under way: the hung endpoint holds no connection of watchman's.
      expect(await until(target.open, (open) => open === 0)).toBe(0);
      // One line each at most, the shutdown's DELETE of the Pushgateway group included; a request
      // the shutdown cut is no failure.
      expect(
        publisherLines(logger)
          .map((line) => line.message.split(' ')[0])
          .sort(),
      ).toEqual(logged);
      expect(logger.lines.filter((line) => line.message.includes(SECRET))).toEqual([]);
    }));
});

describe('a sample-app process whose publishers hang, with a one-minute publish timeout', () => {
  it(
    'still exits by itself on SIGTERM, having cut every request',
    () =>
      using(httpRecorder('hang'), async (hung) => {
        const publish = publishAt(hung.port, 60_000);
        const app = await startSampleApp({
          WATCHMAN_PUBLISH_TIMEOUT_MS: '60000',
          WATCHMAN_WEBHOOK_URL: publish.webhook.url,
          WATCHMAN_PUSHGATEWAY_URL: publish.pushgateway.url,
          WATCHMAN_PUSHGATEWAY_INTERVAL_MS: '100',
          WATCHMAN_HEARTBEAT_URL: publish.heartbeat.url,
          WATCHMAN_HEARTBEAT_INTERVAL_MS: '100',
        });
        // Should an assertion fail before the SIGTERM, the process is still ended.
        await using({ close: () => app.stop('SIGKILL') }, async () => {
          // The Pushgateway's PUT and the heartbeat's GET are both held by the endpoint.
          const held = await until(
            () => hung.requests.map(({ method, url }) => `${method} ${url.split('/')[1]}`),
            (seen) => seen.includes('GET beat') && seen.includes('PUT push'),
          );
          expect(new Set(held)).toEqual(new Set(['GET beat', 'PUT push']));
          expect((await fetch(`${app.url}/watchman/ready`)).status).toBe(200);
          // Far below the publish timeout: were shutdown to wait for an answer, SIGKILL would end it.
          const run = await app.stop('SIGTERM', 20_000);
          expect(run.signal).not.toBe('SIGKILL');
          expect(shutDownCleanly(run)).toBe(true);
          expect(`${run.stdout}\n${run.stderr}`).not.toContain(SECRET);
          console.log(`publishers hung: SIGTERM to exit ${run.stoppedAfterMs} ms`);
          expect(await until(hung.open, (open) => open === 0)).toBe(0);
        });
      }),
    60_000,
  );
});
