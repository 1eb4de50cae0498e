import { closedPort, hungServer } from '../support/services.js';
import { describeWithService } from '../support/requirements.js';
import { ADAPTERS, using } from '../support/http-app.js';
import {
  type NodeRun,
  type NodeServer,
  shutDownCleanly,
  startProbeApp,
  startSampleApp,
} from '../support/spawn-node.js';

// A watchman probe of a Redis that is closed, blackholed or refuses the password must leave
// nothing pending in the app's client: a real SIGTERM then ends the process (it hung forever).

const describeRedis = await describeWithService('Redis', 6379);

/** Closes the app with a real SIGTERM: whatever the test saw, it must end by itself within 5 s. */
const exitsOnSigterm = (app: NodeServer, also: (stopped: NodeRun) => void = () => undefined) => ({
  close: async () => {
    const stopped = await app.stop('SIGTERM', 15_000);
    expect(shutDownCleanly(stopped)).toBe(true);
    expect(stopped.stoppedAfterMs).toBeLessThan(5000);
    also(stopped);
  },
});

describeRedis('SIGTERM after probing a dead Redis', () => {
  let hung: Awaited<ReturnType<typeof hungServer>>;
  let closed: number;
  beforeAll(async () => {
    hung = await hungServer();
    closed = await closedPort();
  });
  afterAll(() => hung.close());

  const deadRedis = () => ({
    closed: `redis://127.0.0.1:${closed}`,
    blackholed: `redis://127.0.0.1:${hung.port}`,
    'wrong password': 'redis://:not-the-password@127.0.0.1:6379',
  });
  const cases = ADAPTERS.flatMap((adapter) =>
    ['closed', 'blackholed', 'wrong password'].map((kind) => [adapter, kind] as const),
  );

  it.each(cases)(
    'CACHE_MANAGER on @keyv/redis (the Nest docs set-up) on %s, Redis %s: exits within 5 s',
    async (adapter, kind) => {
      const url = deadRedis()[kind as keyof ReturnType<typeof deadRedis>];
      const app = await startProbeApp({
        HTTP_ADAPTER: adapter,
        REDIS_URL: url,
        WATCHMAN_CHECKS: 'caches',
        WATCHMAN_CHECK_TIMEOUT_MS: '700',
      });
      await using(exitsOnSigterm(app), async () => {
        const res = await fetch(`${app.url}/watchman`);
        const body = (await res.json()) as { caches: Array<{ default: { ok: boolean; error: string } }> };
        expect(res.status).toBe(500);
        expect(body.caches[0].default.ok).toBe(false);
        expect(body.caches[0].default.error).not.toContain('not-the-password');
      });
    },
    30_000,
  );

  it.each(cases)(
    'the sample app on %s, REDIS_URL %s: exits within 5 s',
    async (adapter, kind) => {
      const url = deadRedis()[kind as keyof ReturnType<typeof deadRedis>];
      const app = await startSampleApp({
        HTTP_ADAPTER: adapter,
        REDIS_URL: url,
        WATCHMAN_CHECKS: 'caches,microservices',
        WATCHMAN_CHECK_TIMEOUT_MS: '700',
      });
      const noPassword = (stopped: NodeRun) =>
        expect(stopped.stdout + stopped.stderr).not.toContain('not-the-password');
      await using(exitsOnSigterm(app, noPassword), async () => {
        const res = await fetch(`${app.url}/watchman`);
        expect(res.status).toBe(500);
        const text = await res.text();
        expect(text).not.toContain('not-the-password');
      });
    },
    30_000,
  );
});
