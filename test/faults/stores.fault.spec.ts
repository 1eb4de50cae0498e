import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle as mysqlDrizzle } from 'drizzle-orm/mysql2';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import mysqlPromise from 'mysql2/promise';
import pg from 'pg';
import type { WatchmanRunner } from 'nestjs-watchman';
import { prismaService } from '../fixtures/prisma/prisma-services.js';
import { type Fault, type FaultProxy, faultProxy } from '../support/fault-proxy.mjs';
import { using } from '../support/http-app.js';
import { describeWithServices } from '../support/requirements.js';
import { mariadbConnections, postgresConnections } from '../support/server-connections.js';
import { until } from '../support/until.js';
import { type WatchmanAppBuilder, watchmanApp } from '../support/watchman-app.js';

// Prisma and Drizzle behind a fault proxy in front of the real PostgreSQL and MariaDB: each
// fault is reported as a failure within the timeout, recovers without a restart, and leaves the
// server with no more connections than before.

const TIMEOUT_MS = 500;

interface Store {
  name: string;
  server: number;
  count: (ports: number[]) => Promise<number>;
  /** The app with the store under alias `store`, reaching the server through the proxy's port. */
  app(port: number): Promise<WatchmanAppBuilder>;
}

const base = () => watchmanApp({ checks: ['databases'], checkTimeout: TIMEOUT_MS });

/**
 * Prisma cannot cancel a query: the driver's own timeouts end a hung connection (as the README
 * advises). Drizzle's pings destroy a hung connection themselves; a connect the timeout cut is
 * ended by the driver's connect timeout.
 */
const STORES: Store[] = [
  {
    name: 'Prisma on PostgreSQL',
    server: 5432,
    count: postgresConnections,
    app: async (port) =>
      base().providers(
        await prismaService('StoreService', 'pg', port, { connectionTimeoutMillis: 1000, query_timeout: 1000 }),
      ),
  },
  {
    name: 'Prisma on MariaDB',
    server: 3306,
    count: mariadbConnections,
    app: async (port) =>
      base().providers(
        await prismaService('StoreService', 'mariadb', port, {
          connectTimeout: 1000,
          acquireTimeout: 1000,
          socketTimeout: 2000,
        }),
      ),
  },
  {
    name: 'Drizzle on PostgreSQL',
    server: 5432,
    count: postgresConnections,
    app: async (port) => {
      // A connect the timeout cut is the pool's to end: connectionTimeoutMillis bounds it (README).
      const pool = new pg.Pool({
        connectionString: `postgres://postgres@127.0.0.1:${port}/test`,
        connectionTimeoutMillis: 1000,
      });
      pool.on('error', () => undefined); // an idle connection dropped by the fault, as apps must handle
      return base()
        .options({ drizzle: { store: pgDrizzle(pool) } })
        .afterClose(() => pool.end());
    },
  },
  {
    name: 'Drizzle on MariaDB',
    server: 3306,
    count: mariadbConnections,
    app: async (port) => {
      const pool = mysqlPromise.createPool({
        host: '127.0.0.1',
        port,
        user: 'root',
        database: 'test',
        connectTimeout: 1000,
      });
      return base()
        .options({ drizzle: { store: mysqlDrizzle(pool) } })
        .afterClose(() => pool.end().catch(() => undefined));
    },
  },
];

const FAULTS: Array<[string, Fault, RegExp]> = [
  [
    'refuse',
    'refuse',
    /ECONNREFUSED|Can't reach database server|terminated|closed|timed out after 500 ms|pool timeout/,
  ],
  ['blackhole', 'blackhole', /^timed out after 500 ms$/],
  ['slow 2s', { slow: 2000 }, /^timed out after 500 ms$/],
];

const table: string[] = [];

async function store(runner: WatchmanRunner): Promise<{ ok: boolean; error?: string; durationMs: number }> {
  const report = await runner.run();
  return report.checks[0].aliases!.find(({ alias }) => alias === 'store')!.outcome as never;
}

/** The server's count of the proxy's connections once the pool has settled (mariadb fills to minimumIdle). */
async function settled(runner: WatchmanRunner, proxy: FaultProxy, entry: Store): Promise<number> {
  let last = -1;
  for (let stable = 0; stable < 3;) {
    await runner.run();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await entry.count(proxy.upstreamPorts());
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

const untilOk = (runner: WatchmanRunner) =>
  until(
    () => store(runner),
    (outcome) => outcome.ok,
    { limitMs: 15_000, everyMs: 200 },
  );

const describeServices = await describeWithServices({ PostgreSQL: 5432, MariaDB: 3306 });

describeServices('Prisma and Drizzle under faults', () => {
  afterAll(() => {
    if (table.length === 0) return;
    const lines = [
      '| store | fault | error | reported after ÷ timeout | recovered | server connections before → after |',
      '|---|---|---|---|---|---|',
      ...table,
    ];
    const file = join(tmpdir(), `watchman-stores-fault-table-${process.pid}.md`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    console.log(`fault table (${file}):\n${lines.join('\n')}`);
  });

  describe.each(STORES.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    it.each(FAULTS)(
      '%s: a failure within the timeout, recovered without restart, no connection left',
      async (fault, setting, error) => {
        await using(faultProxy(entry.server), async (proxy) => {
          await using((await entry.app(proxy.port)).boot(), async ({ runner }) => {
            expect((await untilOk(runner)).ok).toBe(true);
            const before = await settled(runner, proxy, entry);
            await proxy.set(setting);
            const during = [];
            for (let i = 0; i < 3; i++) during.push(await store(runner));
            for (const outcome of during)
              expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(error) });
            await proxy.set('pass');
            const recovered = (await untilOk(runner)).ok;
            expect(recovered).toBe(true);
            // Let a late connection end (a slow ping's, the driver timing out a blackholed one).
            const after = await until(
              () => entry.count(proxy.upstreamPorts()),
              (now) => now <= before,
              { limitMs: 5000, everyMs: 250 },
            );
            expect(after).toBeLessThanOrEqual(before);
            const ratio = Math.max(...during.map((outcome) => outcome.durationMs)) / TIMEOUT_MS;
            table.push(
              `| ${entry.name} | ${fault} | ${during[0].error} | ${ratio.toFixed(2)} | ${recovered ? 'yes' : 'NO'} | ${before} → ${after} |`,
            );
          });
        });
      },
      60_000,
    );

    if (entry.name.startsWith('Prisma')) {
      it('50 short hangs leak no pooled connection: the check recovers, the count returns to its baseline', async () => {
        await using(faultProxy(entry.server), async (proxy) => {
          await using((await entry.app(proxy.port)).boot(), async ({ runner }) => {
            expect((await untilOk(runner)).ok).toBe(true);
            const before = await settled(runner, proxy, entry);
            for (let i = 0; i < 50; i++) {
              await proxy.set('pause');
              const during = await store(runner);
              expect(during).toMatchObject({ ok: false, error: 'timed out after 500 ms' });
              // The abandoned query ends when the hang does.
              await new Promise((resolve) => setTimeout(resolve, 300));
              await proxy.set('pass');
            }
            expect((await untilOk(runner)).ok).toBe(true);
            // A hang can outlast the next probe, so the pool may open one more connection; it
            // closes it once idle (pg idleTimeoutMillis, 10 s by default).
            const after = await until(
              () => entry.count(proxy.upstreamPorts()),
              (now) => now <= before,
              { limitMs: 15_000, everyMs: 250 },
            );
            expect(after).toBeLessThanOrEqual(before);
            table.push(`| ${entry.name} | 50 short hangs | timed out after 500 ms | — | yes | ${before} → ${after} |`);
          });
        });
      }, 180_000);
    }
  });
});
