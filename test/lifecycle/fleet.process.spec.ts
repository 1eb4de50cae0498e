import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { faultProxy } from '../support/fault-proxy.mjs';
import { using } from '../support/http-app.js';
import { type PgQueryCounter, pgQueryCounter } from '../support/pg-query-counter.js';
import { describeWithServices } from '../support/requirements.js';
import { type NodeServer, ROOT, startNode } from '../support/spawn-node.js';
import { until } from '../support/until.js';

// Fleet-scoped checks across real processes of the sample app sharing the real Redis: how
// many `SELECT 1`s reach the real PostgreSQL (counted on the wire by a proxy in front of it),
// what happens when the instance running the checks is killed, and when Redis goes away.

const INTERVAL_MS = 1000;
const describeServices = await describeWithServices({ PostgreSQL: 5432, Redis: 6379 });

interface Instance extends NodeServer {
  url: string;
  /** Its `by` in a fleet's results. */
  id: string;
}

/** Sample apps sharing one fleet, started a few at a time (2 cores), all stopped by close(). */
async function startFleet(
  count: number,
  env: Record<string, string>,
): Promise<{ apps: Instance[]; close(): Promise<void> }> {
  const apps: Instance[] = [];
  const close = async () => void (await Promise.all(apps.map((app) => app.stop('SIGTERM', 5_000))));
  try {
    for (let i = 0; i < count; i += 3) {
      const batch = Array.from({ length: Math.min(3, count - i) }, () => startInstance(env));
      apps.push(...(await Promise.all(batch)));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { apps, close };
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const server = await startNode(
    [join(ROOT, 'sample-app/dist/main.js')],
    { PORT: '0', HOST: '127.0.0.1', WATCHMAN_CHECKS: 'databases', ...env },
    /sample app \(\w+\) on /,
    60_000,
  );
  const port = /on http:\/\/localhost:(\d+)\//.exec(server.stdout)?.[1];
  return Object.assign(server, { url: `http://127.0.0.1:${port}`, id: `${hostname()}-${server.child.pid}` });
}

/** The `databases/default` entry of an instance's JSON. */
async function entry(app: Instance): Promise<{ ok: boolean; scope?: string; by?: string; error?: string }> {
  const body = (await (await fetch(`${app.url}/watchman`)).json()) as { databases: Array<Record<string, never>> };
  return body.databases[0].default;
}

function fleetEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    WATCHMAN_REFRESH_INTERVAL_MS: String(INTERVAL_MS),
    WATCHMAN_CHECK_OPTIONS: JSON.stringify({ databases: { scope: 'fleet' } }),
    WATCHMAN_FLEET_REDIS_URL: 'redis://127.0.0.1:6379',
    WATCHMAN_FLEET_KEY: `fleet-test-${randomUUID()}`,
    ...overrides,
  };
}

/** `SELECT 1`s that reach PostgreSQL during `ms`, once every app has its first result. */
async function selectsDuring(counter: PgQueryCounter, apps: Instance[], ms: number): Promise<number> {
  for (const app of apps)
    await until(
      () => entry(app),
      (seen) => seen.ok,
    );
  const before = counter.count('SELECT 1');
  await new Promise((resolve) => setTimeout(resolve, ms));
  return counter.count('SELECT 1') - before;
}

const figures: string[] = [];
afterAll(() => figures.length > 0 && console.log(`fleet figures:\n${figures.join('\n')}`));

describeServices('fleet-scoped databases across sample-app processes', () => {
  const WINDOW_MS = 10_000;
  // Intervals the window touches: at most one run each, fleet-wide.
  const INTERVALS = WINDOW_MS / INTERVAL_MS + 1;

  it.each([1, 2, 10])(
    '%i instance(s) make about one SELECT 1 per interval fleet-wide, and answer with its scope and runner',
    async (count) => {
      await using(await pgQueryCounter(), async (counter) => {
        const env = fleetEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${counter.port}/test` });
        await using(startFleet(count, env), async ({ apps }) => {
          const selects = await selectsDuring(counter, apps, WINDOW_MS);
          figures.push(`${count} instance(s), scope fleet: ${selects} SELECT 1 in ${WINDOW_MS} ms`);
          expect(selects).toBeLessThanOrEqual(INTERVALS);
          expect(selects).toBeGreaterThanOrEqual(INTERVALS / 2);
          const ids = new Set(apps.map((app) => app.id));
          for (const app of apps) {
            const seen = await entry(app);
            expect(seen).toEqual({ ok: true, scope: 'fleet', by: expect.any(String) });
            expect(ids.has(seen.by as string)).toBe(true);
          }
        });
      });
    },
    120_000,
  );

  it('10 instance-scoped instances make ten times as many (the baseline)', async () => {
    await using(await pgQueryCounter(), async (counter) => {
      const env = fleetEnv({
        DATABASE_URL: `postgres://postgres@127.0.0.1:${counter.port}/test`,
        WATCHMAN_CHECK_OPTIONS: '{}',
      });
      await using(startFleet(10, env), async ({ apps }) => {
        const selects = await selectsDuring(counter, apps, WINDOW_MS);
        figures.push(`10 instances, scope instance: ${selects} SELECT 1 in ${WINDOW_MS} ms`);
        expect(selects).toBeGreaterThan(3 * INTERVALS);
        expect(await entry(apps[0])).toEqual({ ok: true });
      });
    });
  }, 120_000);
});

describeServices('the instance running a fleet-scoped check is killed', () => {
  it('hands the next interval’s run to another instance, and no instance reads a stale result', async () => {
    const env = fleetEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' });
    const redis = new Redis({ lazyConnect: true });
    await redis.connect();
    const shared = async () => {
      const text = await redis.get(`watchman:fleet:${env.WATCHMAN_FLEET_KEY}:databases:result`);
      const { report } = JSON.parse(text ?? 'null') as { report: { by: string; outcome: { measuredAt: string } } };
      return { by: report.by, at: Date.parse(report.outcome.measuredAt) };
    };
    await using({ close: async () => redis.disconnect() }, () =>
      using(startFleet(3, env), async ({ apps }) => {
        for (const app of apps)
          await until(
            () => entry(app),
            (seen) => seen.ok,
          );
        const { by: holder } = await shared();
        const victim = apps.find((app) => app.id === holder) as Instance;
        const survivors = apps.filter((app) => app !== victim);
        expect(survivors).toHaveLength(2);
        const killedAt = Date.now();
        victim.child.kill('SIGKILL');
        const taken = await until(shared, (run) => run.by !== holder && run.at > killedAt, { everyMs: 20 });
        const takeoverMs = taken.at - killedAt;
        figures.push(`takeover after SIGKILL of the holder: ${takeoverMs} ms (interval ${INTERVAL_MS} ms)`);
        expect(survivors.map((app) => app.id)).toContain(taken.by);
        // The run of the interval after the kill, at the latest, was made by a survivor.
        expect(Math.floor(taken.at / INTERVAL_MS) - Math.floor(killedAt / INTERVAL_MS)).toBeLessThanOrEqual(1);
        // Each survivor answers from the new runs from its next interval on, never stale meanwhile.
        const ids = survivors.map((app) => app.id);
        for (const app of survivors) {
          const seen = await until(
            () => entry(app),
            (one) => !one.ok || ids.includes(one.by as string),
          );
          expect([seen.ok, seen.scope, ids.includes(seen.by as string)]).toEqual([true, 'fleet', true]);
        }
      }),
    );
  }, 120_000);
});

describeServices('the fleet’s Redis goes away', () => {
  it.each(['blackhole', 'refuse'] as const)(
    '(%s): each instance runs the check itself (scope local), logs it once, and shares again when Redis is back',
    async (fault) => {
      await using(await faultProxy(6379), async (proxy) => {
        const env = fleetEnv({
          DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
          WATCHMAN_FLEET_REDIS_URL: `redis://:hunter2@127.0.0.1:${proxy.port}`,
        });
        await using(startFleet(2, env), async ({ apps }) => {
          const fleetWide = async () => {
            const seen = await Promise.all(apps.map(entry));
            return seen.every((one) => one.ok && one.scope === 'fleet' && one.by === seen[0].by);
          };
          expect(await until(fleetWide, Boolean)).toBe(true);
          await proxy.set(fault);
          const local = async () => {
            const seen = await Promise.all(apps.map(entry));
            return seen.every((one, i) => one.ok && one.scope === 'local' && one.by === apps[i].id);
          };
          expect(await until(local, Boolean)).toBe(true);
          // Still local a few intervals on, having said so once.
          await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
          expect(await local()).toBe(true);
          for (const app of apps) {
            expect(app.stdout.match(/fleet: Redis does not answer/g)).toHaveLength(1);
            expect(app.stdout + app.stderr).not.toContain('hunter2');
          }
          await proxy.set('pass');
          expect(await until(fleetWide, Boolean)).toBe(true);
          for (const app of apps) expect(app.stdout).toContain('fleet: Redis answers again');
        });
      });
    },
    120_000,
  );
});
