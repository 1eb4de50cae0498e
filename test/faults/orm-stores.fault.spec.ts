import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WatchmanRunner } from 'nestjs-watchman';
import { type Fault, type FaultProxy, faultProxy } from '../support/fault-proxy.mjs';
import { using } from '../support/http-app.js';
import {
  ENGINE_PORTS,
  type Engine,
  connectTimeout,
  mikroOrmContext,
  sequelizeConnection,
} from '../support/orm-stores.js';
import { describeWithServices } from '../support/requirements.js';
import { mariadbConnections, postgresConnections } from '../support/server-connections.js';
import { until } from '../support/until.js';
import { watchmanApp } from '../support/watchman-app.js';

// MikroORM contexts and Sequelize connections behind fault proxies in front of the real
// PostgreSQL and MariaDB: each fault is reported within the check's timeout, recovers without a
// restart, and leaves the servers with no more connections from the app than before.

const TIMEOUT_MS = 500;
const ENGINES: Engine[] = ['pg', 'maria'];
const STORES = {
  'mikro-orm': (engine: Engine, port: number) =>
    mikroOrmContext(engine, engine, { port, connect: false, ...connectTimeout('mikro-orm', engine, 2000) }),
  // idle 2 s (default 10 s): when a cut connection's destroy overlaps the next acquire,
  // sequelize-pool opens one connection more than it needs; its idle eviction takes it back.
  sequelize: (engine: Engine, port: number) =>
    sequelizeConnection(engine, engine, {
      port,
      pool: { idle: 2000, evict: 500 },
      ...connectTimeout('sequelize', engine, 2000),
    }),
};
type Store = keyof typeof STORES;

interface Row {
  store: Store;
  fault: string;
  engine: Engine;
  error: string;
  answerRatio: number;
  before: number;
  after: number;
}
const table: Row[] = [];

async function withApp(
  store: Store,
  work: (runner: WatchmanRunner, proxies: Record<Engine, FaultProxy>) => Promise<void>,
): Promise<void> {
  const proxies = { pg: await faultProxy(ENGINE_PORTS.pg), maria: await faultProxy(ENGINE_PORTS.maria) };
  try {
    const imports = ENGINES.map((engine) => STORES[store](engine, proxies[engine].port));
    const app = watchmanApp({ checks: ['databases'], checkTimeout: TIMEOUT_MS }).imports(...imports);
    await using(app.boot(), ({ runner }) => work(runner, proxies));
  } finally {
    await Promise.all(Object.values(proxies).map((proxy) => proxy.close()));
  }
}

type Outcomes = Record<Engine, { ok: boolean; error?: string; durationMs?: number }>;

async function run(runner: WatchmanRunner): Promise<Outcomes> {
  const report = await runner.run();
  return Object.fromEntries(
    (report.checks[0].aliases ?? []).map(({ alias, outcome }) => [alias, outcome]),
  ) as unknown as Outcomes;
}

const allOk = (outcomes: Outcomes) => ENGINES.every((engine) => outcomes[engine]?.ok === true);

/** The counts once they are back at `before` (spare idle connections evicted), or the last counts read. */
function countsBackTo(proxies: Record<Engine, FaultProxy>, before: Record<Engine, number>) {
  return until(
    () => serverCounts(proxies),
    (counts) => ENGINES.every((engine) => counts[engine] <= before[engine]),
    { limitMs: 20_000, everyMs: 500 },
  );
}

async function serverCounts(proxies: Record<Engine, FaultProxy>): Promise<Record<Engine, number>> {
  // Let closed sockets reach the servers before they are counted.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    pg: await postgresConnections(proxies.pg.upstreamPorts()),
    maria: await mariadbConnections(proxies.maria.upstreamPorts()),
  };
}

const setAll = (proxies: Record<Engine, FaultProxy>, fault: Fault) =>
  Promise.all(ENGINES.map((engine) => proxies[engine].set(fault)));

const FAULTS: Array<[string, Fault]> = [
  ['refuse', 'refuse'],
  ['blackhole', 'blackhole'],
  ['slow 2s', { slow: 2000 }],
];

const describeServices = await describeWithServices({ PostgreSQL: 5432, MariaDB: 3306 });

describeServices('faults between MikroORM / Sequelize and the real databases', () => {
  afterAll(() => {
    if (table.length === 0) return;
    const lines = [
      '| store | fault | engine | error | answer ÷ timeout | server connections before → after |',
      '|---|---|---|---|---|---|',
      ...table.map(
        (row) =>
          `| ${row.store} | ${row.fault} | ${row.engine} | ${row.error} | ${row.answerRatio.toFixed(2)} | ${row.before} → ${row.after} |`,
      ),
    ];
    const file = join(tmpdir(), `watchman-orm-fault-table-${process.pid}.md`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    console.log(`fault table (${file}):\n${lines.join('\n')}`);
  });

  describe.each(Object.keys(STORES) as Store[])('%s', (store) => {
    it.each(FAULTS)(
      '%s: reported as failed in its own alias, recovered without restart, no connection left',
      async (name, fault) => {
        await withApp(store, async (runner, proxies) => {
          expect(allOk(await until(() => run(runner), allOk))).toBe(true);
          const before = await serverCounts(proxies);

          await setAll(proxies, fault);
          const during = await run(runner);
          for (const engine of ENGINES) {
            expect(during[engine].ok).toBe(false);
            // The refused ones fail fast with the driver's reason; the others are cut at the timeout.
            expect(during[engine].error).toMatch(
              name === 'refuse' ? /ECONNREFUSED|ECONNRESET|terminated|closed/i : /^timed out after 500 ms$/,
            );
          }
          await setAll(proxies, 'pass');

          expect(allOk(await until(() => run(runner), allOk))).toBe(true);
          const after = await countsBackTo(proxies, before);
          for (const engine of ENGINES) {
            expect(after[engine]).toBeLessThanOrEqual(before[engine]);
            table.push({
              store,
              fault: name,
              engine,
              error: String(during[engine].error).slice(0, 60),
              answerRatio: (during[engine].durationMs ?? 0) / TIMEOUT_MS,
              before: before[engine],
              after: after[engine],
            });
          }
        });
      },
      60_000,
    );

    it('50 short hangs leak no pooled connection: each is cut, the check recovers, counts return to baseline', async () => {
      await withApp(store, async (runner, proxies) => {
        expect(allOk(await until(() => run(runner), allOk))).toBe(true);
        const before = await serverCounts(proxies);
        for (let i = 0; i < 50; i++) {
          await setAll(proxies, 'pause');
          const during = await run(runner);
          expect([during.pg.ok, during.maria.ok]).toEqual([false, false]);
          // A connection the pool hands over after the timeout arrives when the hang ends.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await setAll(proxies, 'pass');
        }
        expect(allOk(await until(() => run(runner), allOk))).toBe(true);
        const after = await countsBackTo(proxies, before);
        for (const engine of ENGINES) {
          expect(after[engine]).toBeLessThanOrEqual(before[engine]);
          table.push({
            store,
            fault: '50 short hangs',
            engine,
            error: '',
            answerRatio: 0,
            ...{ before: before[engine], after: after[engine] },
          });
        }
      });
    }, 120_000);
  });
});
