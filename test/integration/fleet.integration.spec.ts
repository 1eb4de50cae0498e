import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import KeyvRedis from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Keyv } from 'keyv';
import request from 'supertest';
import { WatchmanCheck, type WatchmanCheckable, WatchmanConfigError } from 'nestjs-watchman';
import { RunCounter } from '../fixtures/checks.js';
import { using } from '../support/http-app.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { describeWithService } from '../support/requirements.js';
import { closedPort, hungServer } from '../support/services.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { until } from '../support/until.js';
import { watchmanApp } from '../support/watchman-app.js';

// Fleet-scoped checks in one process against the real Redis: the JSON fields, a result shared
// by "another instance" (written into Redis by the test, as another instance would), the stale
// rule, the Redis found by itself, and a Redis that is not there or does not answer.

const ME = `${hostname()}-${process.pid}`;
const INTERVAL_MS = 1000;
// Redis gets half of it per command: room enough on a loaded machine.
const CHECK_TIMEOUT_MS = 1000;

/** Declares its scope in the decorator; counts its runs. */
@WatchmanCheck('shared', { scope: 'fleet', timeout: CHECK_TIMEOUT_MS })
@Injectable()
class SharedCheck implements WatchmanCheckable {
  static counter = new RunCounter();
  check() {
    SharedCheck.counter.enter();
    SharedCheck.counter.leave();
    return { answer: 42 };
  }
}

/**
 * Fleet-scoped on an interval of its own: the background refresh runs it. Its timeout (and so
 * the fleet's Redis timeout, half of it) leaves room for a loaded machine: a Redis answer
 * later than that is a fall-back to a local run, rightly, and not what this test is about.
 */
@WatchmanCheck('ticking', { scope: 'fleet', interval: 250, timeout: 1000 })
@Injectable()
class TickingCheck implements WatchmanCheckable {
  static counter = new RunCounter();
  check() {
    TickingCheck.counter.enter();
    TickingCheck.counter.leave();
  }
}

const describeRedis = await describeWithService('Redis', 6379);

describeRedis('fleet-scoped checks (on request, cacheTtl as the interval)', () => {
  const redis = new Redis({ lazyConnect: true });
  beforeAll(() => redis.connect());
  afterAll(() => redis.disconnect());

  const fleet = () => ({ redis: 'redis://127.0.0.1:6379', key: `fleet-it-${randomUUID()}` });
  const base = (key: string) => `watchman:fleet:${key}:shared`;
  const app = (key = fleet()) =>
    watchmanApp({ checks: ['shared'], cacheTtl: INTERVAL_MS, fleet: key }, SharedCheck).start();

  /** What another instance would have stored: a run of `shared`, measured `ago` ms back. */
  const storeRun = (key: string, by: string, ok: boolean, ago = 0) => {
    const outcome = { ok, details: ok ? { answer: 7 } : {}, durationMs: 1, measuredAt: new Date(Date.now() - ago) };
    const report = { name: 'shared', critical: true, outcome: ok ? outcome : { ...outcome, error: 'down' }, by };
    return redis.set(`${base(key)}:result`, JSON.stringify({ v: 1, report }), 'PX', 60_000);
  };
  /** Another instance holds the lock of this interval and the next `count`. */
  const holdLocks = async (key: string, count = 60) => {
    const slot = Math.floor(Date.now() / INTERVAL_MS);
    for (let n = slot; n < slot + count; n += 1)
      await redis.set(`${base(key)}:lock:${INTERVAL_MS}:${n}`, 'other:1', 'PX', 120_000);
  };

  it('runs once and answers with "scope": "fleet" and "by" (this instance), stored in Redis for the others', async () => {
    const options = fleet();
    await using(app(options), async ({ url }) => {
      const before = SharedCheck.counter.runs;
      const { body } = await request(url).get('/watchman').expect(200);
      expect(body).toEqual({ shared: { ok: true, answer: 42, scope: 'fleet', by: ME } });
      expect(SharedCheck.counter.runs - before).toBe(1);
      const stored = JSON.parse((await redis.get(`${base(options.key)}:result`)) as string);
      expect(stored.report).toMatchObject({ name: 'shared', by: ME, outcome: { ok: true, details: { answer: 42 } } });
    });
  });

  it("answers another instance's run of this interval without running the check", async () => {
    const options = fleet();
    await holdLocks(options.key);
    await storeRun(options.key, 'other:1', true);
    await using(app(options), async ({ url }) => {
      const before = SharedCheck.counter.runs;
      const { body } = await request(url).get('/watchman').expect(200);
      expect(body).toEqual({ shared: { ok: true, answer: 7, scope: 'fleet', by: 'other:1' } });
      expect(SharedCheck.counter.runs).toBe(before);
    });
  });

  it('reads a shared result older than 2 × (interval + timeout) as "stale result"', async () => {
    const options = fleet();
    await holdLocks(options.key);
    await storeRun(options.key, 'other:1', true, 2 * (INTERVAL_MS + CHECK_TIMEOUT_MS) + 500);
    await using(app(options), async ({ url }) => {
      const { body } = await request(url).get('/watchman').expect(500);
      expect(body.shared).toMatchObject({ ok: false, error: 'stale result', scope: 'fleet', by: 'other:1' });
    });
  });

  it('counts a shared run once, however often it is read: failAfter is over runs, not reads', async () => {
    const options = fleet();
    await holdLocks(options.key);
    await storeRun(options.key, 'other:1', true);
    const setup = watchmanApp(
      { checks: ['shared'], cacheTtl: INTERVAL_MS, fleet: options, checkOptions: { shared: { failAfter: 2 } } },
      SharedCheck,
    );
    await using(setup.boot(), async ({ runner }) => {
      // What the thresholds made of the runs seen (a read may also be stale by then: that is the answer's concern).
      const held = async () => {
        await runner.runNames(['shared']);
        return runner.lastReport('shared');
      };
      expect((await held())?.outcome.ok).toBe(true);
      await storeRun(options.key, 'other:2', false);
      for (let i = 0; i < 4; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS + 50));
        const seen = await held();
        expect([seen?.by, seen?.outcome.ok, seen?.outcome.details.pending]).toEqual([
          'other:2',
          true,
          { ok: false, count: 1, of: 2, error: 'down' },
        ]);
      }
      await storeRun(options.key, 'other:3', false);
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS + 50));
      expect(await held()).toMatchObject({ outcome: { ok: false, error: 'down' }, by: 'other:3' });
    });
  }, 20_000);

  it("finds the app's Redis through its cache's Redis tier (the database included) when fleet.redis is not set", async () => {
    const key = `fleet-it-${randomUUID()}`;
    const cache = CacheModule.register({
      isGlobal: true,
      stores: [
        new Keyv(),
        // Database 8: 7 is the caches tests' own, and they count its keys.
        new Keyv({ store: new KeyvRedis('redis://127.0.0.1:6379/8', { throwOnConnectError: false }) }),
      ],
    });
    const logger = new RecordingLogger();
    const setup = watchmanApp({ checks: ['shared'], cacheTtl: INTERVAL_MS, fleet: { key } }, SharedCheck)
      .imports(cache)
      .logger(logger);
    await using(setup.start(), async ({ url }) => {
      const { body } = await request(url).get('/watchman').expect(200);
      expect(body.shared).toMatchObject({ scope: 'fleet', by: ME });
      const db8 = new Redis({ db: 8, lazyConnect: true });
      await using({ close: async () => db8.disconnect() }, async () => {
        await db8.connect();
        expect(await db8.exists(`watchman:fleet:${key}:shared:result`)).toBe(1);
      });
      expect(logger.watchman().map((line) => line.message)).toContainEqual(
        expect.stringContaining('through the Redis of cache "default"'),
      );
    });
  });

  it('takes an ioredis client as fleet.redis, on a connection of its own (the app’s client is left alone)', async () => {
    const own = new Redis({ lazyConnect: true });
    const key = `fleet-it-${randomUUID()}`;
    const setup = watchmanApp({ checks: ['shared'], cacheTtl: INTERVAL_MS, fleet: { redis: own, key } }, SharedCheck);
    await using(setup.start(), async ({ url }) => {
      const { body } = await request(url).get('/watchman').expect(200);
      expect(body.shared).toMatchObject({ scope: 'fleet', by: ME });
      expect(await redis.exists(`watchman:fleet:${key}:shared:result`)).toBe(1);
      expect(own.status).toBe('wait');
    });
  });

  it.each([
    ['refuses connections', async () => ({ port: await closedPort(), close: async () => undefined })],
    ['accepts connections and never answers', () => hungServer()],
  ])(
    'runs the check on each instance when Redis %s: "scope": "local", the error logged once, no password',
    async (_, server) => {
      await using(await server(), async ({ port }) => {
        const logger = new RecordingLogger();
        const options = { redis: `redis://:hunter2@127.0.0.1:${port}`, key: `fleet-it-${randomUUID()}` };
        const setup = watchmanApp({ checks: ['shared'], cacheTtl: 50, fleet: options }, SharedCheck).logger(logger);
        await using(setup.start(), async ({ url }) => {
          for (let i = 0; i < 3; i += 1) {
            const { body } = await request(url).get('/watchman').expect(200);
            expect(body).toEqual({ shared: { ok: true, answer: 42, scope: 'local', by: ME } });
            await new Promise((resolve) => setTimeout(resolve, 60));
          }
          const said = logger.watchman().map((line) => line.message);
          expect(said.filter((line) => line.includes('fleet: Redis does not answer'))).toHaveLength(1);
          expect(said.join('\n')).toContain('redis://:***@127.0.0.1');
          expect(said.join('\n')).not.toContain('hunter2');
        });
      });
    },
  );

  it('runs locally, saying why once, when no Redis is configured or found', async () => {
    const logger = new RecordingLogger();
    const setup = watchmanApp({ checks: ['shared'], cacheTtl: INTERVAL_MS }, SharedCheck).logger(logger);
    await using(setup.start(), async ({ url }) => {
      const { body } = await request(url).get('/watchman').expect(200);
      expect(body.shared).toEqual({ ok: true, answer: 42, scope: 'local', by: ME });
      expect(logger.watchman('warn').map((line) => line.message)).toEqual([
        expect.stringContaining('fleet: no Redis for the fleet-scoped checks (shared)'),
      ]);
    });
  });

  it('sends one email per interval for two instances (a paid check may be fleet-scoped)', async () => {
    await using(await startSmtpSink(), async (sink) => {
      const options = {
        checks: ['email'],
        cacheTtl: 5_000,
        email: { transport: sink.url },
        checkOptions: { email: { scope: 'fleet' as const } },
        fleet: fleet(),
      };
      await using(watchmanApp(options).boot(), (one) =>
        using(watchmanApp(options).boot(), async (two) => {
          const [a, b] = await Promise.all([one.runner.run(), two.runner.run()]);
          expect([a.ok, b.ok]).toEqual([true, true]);
          expect(sink.received).toHaveLength(1);
        }),
      );
    });
  });
});

describeRedis('fleet-scoped checks under the background refresh (an interval of their own)', () => {
  it('run once per interval for two instances, not once each', async () => {
    const options = {
      checks: ['ticking'],
      fleet: { redis: 'redis://127.0.0.1:6379', key: `fleet-it-${randomUUID()}` },
    };
    await using(watchmanApp(options, TickingCheck).start(), (one) =>
      using(watchmanApp(options, TickingCheck).start(), async (two) => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const before = TickingCheck.counter.runs;
        await new Promise((resolve) => setTimeout(resolve, 2500));
        const runs = TickingCheck.counter.runs - before;
        // 2500 ms touch 11 intervals of 250 ms; two instances on their own would run about 20 times.
        expect(runs).toBeLessThanOrEqual(11);
        expect(runs).toBeGreaterThan(0);
        for (const { url } of [one, two]) {
          const read = async () => (await request(url).get('/watchman').expect(200)).body;
          const body = await until(read, (answer) => answer.ticking?.scope === 'fleet', { limitMs: 5000 });
          expect(body).toEqual({ ticking: { ok: true, scope: 'fleet', by: ME } });
        }
      }),
    );
  });
});

describe('fleet scope without an interval', () => {
  it('stops start-up naming the option: one run per interval needs an interval', async () => {
    const attempt = watchmanApp({ checks: ['shared'] }, SharedCheck).bootAndClose();
    await expect(attempt).rejects.toThrow(WatchmanConfigError);
    await expect(watchmanApp({ checks: ['shared'] }, SharedCheck).bootAndClose()).rejects.toThrow(
      /invalid checkOptions\.shared\.scope "fleet": a fleet-scoped check runs once per interval/,
    );
  });
});
