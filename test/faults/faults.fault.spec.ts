import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Fault, type FaultProxy, faultProxy } from '../support/fault-proxy.mjs';
import { ADAPTERS, using } from '../support/http-app.js';
import { mariadbConnections, postgresConnections, redisConnections } from '../support/server-connections.js';
import { describeWithServices } from '../support/requirements.js';
import { shutDownCleanly, startSampleApp } from '../support/spawn-node.js';

// Real PostgreSQL, MariaDB and Redis behind fault proxies, in front of the sample app in its own
// process: each fault is answered in time, recovers without a restart, leaks no connection, and
// a real SIGTERM still ends the process.

const TIMEOUT_MS = 500;
const SERVICES = { pg: 5432, maria: 3306, redis: 6379 } as const;
type Service = keyof typeof SERVICES;

interface Row {
  adapter: string;
  fault: string;
  service: Service;
  answerRatio: number;
  recovered: boolean;
  before: number;
  after: number;
  sigtermExitMs: number;
}
const table: Row[] = [];

const describeServices = await describeWithServices({ PostgreSQL: 5432, MariaDB: 3306, Redis: 6379 });

async function withProxies<T>(work: (proxies: Record<Service, FaultProxy>) => Promise<T>): Promise<T> {
  const proxies = {
    pg: await faultProxy(SERVICES.pg),
    maria: await faultProxy(SERVICES.maria),
    redis: await faultProxy(SERVICES.redis),
  };
  return using({ close: () => Promise.all(Object.values(proxies).map((proxy) => proxy.close())) }, () => work(proxies));
}

function sampleEnv(adapter: string, proxies: Record<Service, FaultProxy>): Record<string, string> {
  return {
    HTTP_ADAPTER: adapter,
    DATABASE_URL_PG: `postgres://postgres@127.0.0.1:${proxies.pg.port}/test`,
    DATABASE_URL_MARIA: `mysql://root@127.0.0.1:${proxies.maria.port}/test`,
    REDIS_URL: `redis://127.0.0.1:${proxies.redis.port}`,
    WATCHMAN_CHECKS: 'databases,caches,microservices',
    WATCHMAN_DATABASES: 'pg,maria',
    WATCHMAN_CACHES: 'redis',
    WATCHMAN_CHECK_TIMEOUT_MS: String(TIMEOUT_MS),
  };
}

type Status = Record<Service, boolean>;

async function probe(app: {
  url: string;
}): Promise<{ ms: number; code: number; status: Status; body: Record<string, unknown> }> {
  const started = performance.now();
  const res = await fetch(`${app.url}/watchman`);
  const ms = performance.now() - started;
  const body = (await res.json()) as Record<string, Array<Record<string, { ok: boolean }>>>;
  const alias = (check: string, name: string) => body[check]?.find((entry) => name in entry)?.[name]?.ok === true;
  const status = {
    pg: alias('databases', 'pg'),
    maria: alias('databases', 'maria'),
    redis: alias('caches', 'redis') && alias('microservices', 'redis'),
  };
  return { ms, code: res.status, status, body };
}

async function untilAllOk(
  app: { url: string },
  services: Service[] = ['pg', 'maria', 'redis'],
  limitMs = 15_000,
): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const { status } = await probe(app);
    if (services.every((service) => status[service])) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

async function counts(proxies: Record<Service, FaultProxy>): Promise<Record<Service, number>> {
  // Let closed sockets reach the servers before they are counted.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    pg: await postgresConnections(proxies.pg.upstreamPorts()),
    maria: await mariadbConnections(proxies.maria.upstreamPorts()),
    redis: await redisConnections(proxies.redis.upstreamPorts()),
  };
}

const FAULTS: Array<[string, Fault | 'flap']> = [
  ['refuse', 'refuse'],
  ['blackhole', 'blackhole'],
  ['slow 2s', { slow: 2000 }],
  ['pause (hang)', 'pause'],
  ['flap 150ms', 'flap'],
];

describeServices('faults between watchman and real services', () => {
  afterAll(() => {
    if (table.length === 0) return;
    const lines = [
      '| adapter | fault | service | answer ÷ timeout | recovered | connections before → after | SIGTERM exit (ms) |',
      '|---|---|---|---|---|---|---|',
      ...table.map(
        (row) =>
          `| ${row.adapter} | ${row.fault} | ${row.service} | ${row.answerRatio.toFixed(2)} | ${row.recovered ? 'yes' : 'NO'} | ${row.before} → ${row.after} | ${row.sigtermExitMs} |`,
      ),
    ];
    const file = join(tmpdir(), `watchman-fault-table-${process.pid}.md`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    console.log(`fault table (${file}):\n${lines.join('\n')}`);
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    it.each(FAULTS)(
      '%s: answered within the timeout, recovered without restart, no connection left, SIGTERM exits',
      async (name, fault) => {
        await withProxies(async (proxies) => {
          const app = await startSampleApp(sampleEnv(adapter, proxies));
          // SIGKILL is a no-op once the SIGTERM below has ended the process.
          await using({ close: () => app.stop('SIGKILL') }, async () => {
            expect(await untilAllOk(app)).toBe(true);
            const before = await counts(proxies);

            const apply = async () => {
              if (fault !== 'flap') {
                await Promise.all(Object.values(proxies).map((proxy) => proxy.set(fault)));
                return async () => void (await Promise.all(Object.values(proxies).map((proxy) => proxy.set('pass'))));
              }
              const stops = Object.values(proxies).map((proxy) => proxy.flap(150));
              return async () => void (await Promise.all(stops.map((stop) => stop())));
            };
            let heal = await apply();
            const during = await probe(app);
            // One answer, on time, whatever the fault; a dead dependency is a failing check, not a 5xx of the app.
            expect([200, 500]).toContain(during.code);
            if (fault !== 'flap') expect(during.status).toEqual({ pg: false, maria: false, redis: false });
            await heal();

            const recovered = await untilAllOk(app);
            expect(recovered).toBe(true);
            const after = await counts(proxies);
            for (const service of Object.keys(SERVICES) as Service[])
              expect(after[service]).toBeLessThanOrEqual(before[service]);

            heal = await apply();
            await probe(app);
            const stopped = await app.stop('SIGTERM', 15_000);
            await heal();
            expect(shutDownCleanly(stopped)).toBe(true);
            expect(stopped.stoppedAfterMs).toBeLessThan(5000);
            for (const service of Object.keys(SERVICES) as Service[]) {
              table.push({
                adapter,
                fault: name,
                service,
                answerRatio: during.ms / TIMEOUT_MS,
                recovered,
                before: before[service],
                after: after[service],
                sigtermExitMs: stopped.stoppedAfterMs,
              });
            }
          });
        });
      },
      60_000,
    );

    it('50 short hangs leak no pooled connection: the check recovers, counts return to baseline, SIGTERM exits', async () => {
      await withProxies(async (proxies) => {
        const app = await startSampleApp({
          ...sampleEnv(adapter, proxies),
          WATCHMAN_CHECKS: 'databases',
        });
        // SIGKILL is a no-op once the SIGTERM below has ended the process.
        await using({ close: () => app.stop('SIGKILL') }, async () => {
          expect(await untilAllOk(app, ['pg', 'maria'])).toBe(true);
          const before = await counts(proxies);
          for (let i = 0; i < 50; i++) {
            await Promise.all([proxies.pg.set('pause'), proxies.maria.set('pause')]);
            const during = await probe(app);
            expect([during.status.pg, during.status.maria]).toEqual([false, false]);
            // The connection the pool hands over after the timeout arrives when the hang ends.
            await new Promise((resolve) => setTimeout(resolve, 800 - Math.min(during.ms, 700)));
            await Promise.all([proxies.pg.set('pass'), proxies.maria.set('pass')]);
          }
          expect(await untilAllOk(app, ['pg', 'maria'])).toBe(true);
          const after = await counts(proxies);
          expect(after.pg).toBeLessThanOrEqual(before.pg);
          expect(after.maria).toBeLessThanOrEqual(before.maria);
          const stopped = await app.stop('SIGTERM', 15_000);
          expect(shutDownCleanly(stopped)).toBe(true);
          expect(stopped.stoppedAfterMs).toBeLessThan(5000);
          table.push({
            adapter,
            fault: '50 short hangs',
            service: 'pg',
            answerRatio: 0,
            recovered: true,
            before: before.pg,
            after: after.pg,
            sigtermExitMs: stopped.stoppedAfterMs,
          });
          table.push({
            adapter,
            fault: '50 short hangs',
            service: 'maria',
            answerRatio: 0,
            recovered: true,
            before: before.maria,
            after: after.maria,
            sigtermExitMs: stopped.stoppedAfterMs,
          });
        });
      });
    }, 180_000);
  });
});
