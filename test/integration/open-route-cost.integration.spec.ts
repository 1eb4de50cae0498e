import { createConnection } from 'node:net';
import KeyvRedis from '@keyv/redis';
import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import request from 'supertest';
import { WatchmanModule, WatchmanRunner } from 'nestjs-watchman';
import { PassingCheck } from '../fixtures/checks.js';
import { ADAPTERS, startHttpApp, using } from '../support/http-app.js';
import { describeWithService } from '../support/requirements.js';
import { tempDir } from '../support/temp-dir.js';

// What anonymous callers and repeated runs cost the backends: the red team's 200 sequential
// `GET /watchman/bare` made 200 runs and ~400 Redis connections.

/** Redis's own count of connections it has accepted since it started. */
async function redisConnectionsReceived(): Promise<number> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = createConnection(6379, '127.0.0.1');
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('total_connections_received')) socket.end();
    });
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
    socket.write('INFO stats\r\n');
  });
  return Number(/total_connections_received:(\d+)/.exec(text)?.[1]);
}

const redisCache = () =>
  createCache({
    stores: [new Keyv({ store: new KeyvRedis('redis://127.0.0.1:6379/7', { throwOnConnectError: false }) })],
  });

describe.each(ADAPTERS)('open routes on %s', (adapter) => {
  it('share results for openRouteTtl: 200 sequential anonymous requests cannot drive 200 runs', async () => {
    const app = startHttpApp(
      { imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['passing'] })], providers: [PassingCheck] },
      adapter,
    );
    await using(app, async ({ url }) => {
      const before = PassingCheck.counter.runs;
      const started = performance.now();
      for (let i = 0; i < 200; i += 1) await request(url).get('/watchman/bare').expect(200);
      const elapsed = performance.now() - started;
      const runs = PassingCheck.counter.runs - before;
      // At most one run per 250 ms window of the loop (+1 for the window it started in).
      expect(runs).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 1);
      expect(runs).toBeLessThan(200);
    });
  });

  it('run per request for a caller with a valid token, and for everyone with openRouteTtl: 0', async () => {
    const app = startHttpApp(
      {
        imports: [
          WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['passing'], tokens: ['t'], openRouteTtl: 0 }),
        ],
        providers: [PassingCheck],
      },
      adapter,
    );
    await using(app, async ({ url }) => {
      const before = PassingCheck.counter.runs;
      for (let i = 0; i < 10; i += 1) await request(url).get('/watchman/ready').expect(200);
      for (let i = 0; i < 10; i += 1) await request(url).get('/watchman/bare?watchman-token=t').expect(200);
      expect(PassingCheck.counter.runs - before).toBe(20);
    });
  });
});

const describeRedis = await describeWithService('Redis', 6379);

describeRedis('the Redis tier probe', () => {
  it('keeps its own connection between runs: 200 runs open at most one new connection', async () => {
    const cache = redisCache();
    const app = startHttpApp(
      {
        imports: [
          WatchmanModule.forRoot({
            mediaRoot: tempDir(),
            checks: ['caches'],
            cacheTokens: { redis: 'REDIS_CACHE' },
            caches: ['redis'],
          }),
        ],
        providers: [{ provide: 'REDIS_CACHE', useValue: cache }],
      },
      'express',
    );
    // Nest closes only what its own modules opened: the cache disconnects after the app closed.
    await using({ close: () => cache.disconnect() }, () =>
      using(app, async ({ app: nest }) => {
        const runner = nest.get(WatchmanRunner);
        expect((await runner.run()).ok).toBe(true); // the app's client and the probe connect once
        const before = await redisConnectionsReceived();
        for (let i = 0; i < 200; i += 1) expect((await runner.run()).ok).toBe(true);
        const opened = (await redisConnectionsReceived()) - before;
        // Our own INFO connections are 1 each; other test runs on this machine may connect too,
        // so the bound is loose, but far below the 400 of a connection per run.
        expect(opened).toBeLessThan(20);
      }),
    );
  });
});
