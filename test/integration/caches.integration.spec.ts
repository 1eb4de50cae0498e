import { CacheModule } from '@nestjs/cache-manager';
import KeyvRedis, { createClient } from '@keyv/redis';
import { createCache, type Cache } from 'cache-manager';
import { Keyv } from 'keyv';
import type { WatchmanRunner } from 'nestjs-watchman';
import { closedPort, hungServer } from '../support/services.js';
import { describeWithService } from '../support/requirements.js';
import { using } from '../support/http-app.js';
import { watchmanApp } from '../support/watchman-app.js';
import { withEnv } from '../support/with-env.js';

// A database of this file's own (the other tests, and other test runs beside this one, use 0),
// so DBSIZE counts only what these tests wrote.
const REDIS_URL = 'redis://127.0.0.1:6379/7';
const redisKeyv = (url = REDIS_URL) => new Keyv({ store: new KeyvRedis(url, { throwOnConnectError: false }) });
// For dead and hung servers: no reconnect loop left running after the test.
const deadRedisKeyv = (url: string) =>
  new Keyv({
    store: new KeyvRedis(
      { url, socket: { reconnectStrategy: false, connectTimeout: 3000 } },
      { throwOnConnectError: false },
    ),
  });
const memoryKeyv = () => new Keyv();

/** The caches check over the app's default cache and these named ones; their clients go after the app closes. */
function cachesApp(caches: Record<string, () => Cache>, checkTimeout = 2000) {
  const made: Cache[] = [];
  const providers = Object.entries(caches).map(([name, factory]) => ({
    provide: `${name.toUpperCase()}_CACHE`,
    useFactory: () => {
      const cache = factory();
      made.push(cache);
      return cache;
    },
  }));
  const cacheTokens = Object.fromEntries(Object.keys(caches).map((name) => [name, `${name.toUpperCase()}_CACHE`]));
  return watchmanApp({ checks: ['caches'], checkTimeout, cacheTokens }, ...providers)
    .imports(CacheModule.register({ isGlobal: true }))
    .afterClose(() => destroyClients(made));
}

async function caches(runner: WatchmanRunner) {
  const report = await runner.run();
  return Object.fromEntries((report.checks[0].aliases ?? []).map(({ alias, outcome }) => [alias, outcome]));
}

function destroyClients(made: Cache[]) {
  // Forced: a client still retrying a dead server never finishes a polite close.
  const stores = made.flatMap((cache) =>
    cache.stores.map((keyv) => (keyv as unknown as { store: { client?: { destroy(): void } } }).store),
  );
  for (const store of stores) {
    try {
      store.client?.destroy();
    } catch {
      // already closed
    }
  }
}

const describeRedis = await describeWithService('Redis', 6379);

describeRedis('caches check on Redis', () => {
  const redis = createClient({ url: REDIS_URL });
  beforeAll(() => redis.connect());
  afterAll(() => redis.quit());

  it('checks memory, Redis and two-tier caches, each sorted by name', async () => {
    const setup = cachesApp({
      redis: () => createCache({ stores: [redisKeyv()] }),
      tiered: () => createCache({ stores: [memoryKeyv(), redisKeyv()] }),
      sessions: () => createCache({ stores: [memoryKeyv()] }),
    });
    await using(setup.boot(), async ({ runner }) => {
      const report = await runner.run();
      expect(report.checks[0].aliases?.map((a) => [a.alias, a.outcome.ok])).toEqual([
        ['default', true],
        ['redis', true],
        ['sessions', true],
        ['tiered', true],
      ]);
      expect(report.checks[0].aliases?.find((a) => a.alias === 'tiered')?.outcome.details).toEqual({
        tiers: [
          { tier: 0, store: 'memory', ok: true },
          { tier: 1, store: 'KeyvRedis', ok: true },
        ],
      });
    });
  });

  it('checks each tier on its own: a dead Redis tier is not hidden by the memory tier', async () => {
    const port = await closedPort();
    const setup = cachesApp({
      tiered: () => createCache({ stores: [memoryKeyv(), deadRedisKeyv(`redis://127.0.0.1:${port}`)] }),
    });
    await using(setup.boot(), async ({ runner }) => {
      const result = await caches(runner);
      expect(result.default.ok).toBe(true);
      expect(result.tiered.ok).toBe(false);
      expect(result.tiered.error).toMatch(
        /^tier 1 \(KeyvRedis\): cache (store|set) failed: connect ECONNREFUSED 127\.0\.0\.1:\d+$/,
      );
    });
  });

  it('times out a hung Redis within checkTimeout while other caches stay ok', async () => {
    await using(hungServer(), async (hung) => {
      const setup = cachesApp(
        { hung: () => createCache({ stores: [deadRedisKeyv(`redis://127.0.0.1:${hung.port}`)] }) },
        400,
      );
      await using(setup.boot(), async ({ runner }) => {
        const result = await caches(runner);
        expect(result.default.ok).toBe(true);
        expect(result.hung).toMatchObject({ ok: false, error: 'timed out after 400 ms' });
      });
    });
  });

  it('never leaves its key behind: DBSIZE unchanged after 1,000 runs, failures included', async () => {
    // A tier whose reads come back wrong: set and delete reach Redis, the compare fails.
    const liar = () => {
      const keyv = redisKeyv();
      const get = keyv.get.bind(keyv);
      keyv.get = (async (key: string) => `${String(await get(key))}-changed`) as typeof keyv.get;
      return keyv;
    };
    const setup = cachesApp({
      redis: () => createCache({ stores: [redisKeyv()] }),
      tiered: () => createCache({ stores: [memoryKeyv(), redisKeyv()] }),
      liar: () => createCache({ stores: [liar()] }),
    });
    await using(setup.boot(), async ({ runner }) => {
      await runner.run();
      const before = await redis.dbSize();
      for (let i = 0; i < 1000; i++) {
        const result = await caches(runner);
        expect([result.redis.ok, result.tiered.ok, result.liar.ok]).toEqual([true, true, false]);
      }
      expect((await caches(runner)).liar.error).toMatch(
        /cache get failed: read back ".*-changed" instead of the value written/,
      );
      expect(await redis.dbSize()).toBe(before);
      expect(await redis.keys('watchman:*')).toEqual([]);
    });
  });

  it('checks only the WATCHMAN_CACHES subset', async () => {
    await withEnv({ WATCHMAN_CACHES: 'redis' }, async () => {
      const setup = cachesApp({ redis: () => createCache({ stores: [redisKeyv()] }) });
      await using(setup.boot(), async ({ runner }) => {
        expect(Object.keys(await caches(runner))).toEqual(['redis']);
      });
    });
  });
});
