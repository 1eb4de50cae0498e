import type { DynamicModule } from '@nestjs/common';
import type { WatchmanRunner } from 'nestjs-watchman';
import { using } from '../support/http-app.js';
import { ENGINE_PORTS, connectTimeout, mikroOrmContext, sequelizeConnection } from '../support/orm-stores.js';
import { describeWithServices } from '../support/requirements.js';
import { mariadbConnections, postgresConnections } from '../support/server-connections.js';
import { closedPort, hungServer, tcpProxy } from '../support/services.js';
import { localPortsTo } from '../support/socket-count.js';
import { watchmanApp } from '../support/watchman-app.js';

// MikroORM 6 through @mikro-orm/nestjs and Sequelize 6 through @nestjs/sequelize, on the real
// PostgreSQL and MariaDB: every context / connection is found by itself, by its name.

type Engine = 'pg' | 'maria';
interface Store {
  name: string;
  kind: 'mikro-orm' | 'sequelize';
  /** One context / connection of the store (name undefined: the default one). */
  make(name: string | undefined, engine: Engine, extra?: Record<string, unknown>): DynamicModule;
  /** What a context needs to boot with its database down (MikroORM checks its database at boot). */
  bootsDown: Record<string, unknown>;
  /** The engines the hung-server test runs on. */
  hungEngines: Engine[];
}

const STORES: Store[] = [
  {
    name: 'MikroORM contexts',
    kind: 'mikro-orm',
    make: (name, engine, extra) => mikroOrmContext(name, engine, extra) as DynamicModule,
    bootsDown: { connect: false },
    hungEngines: ['pg'],
  },
  {
    name: 'Sequelize connections',
    kind: 'sequelize',
    make: (name, engine, extra) => sequelizeConnection(name, engine, extra) as DynamicModule,
    bootsDown: {},
    hungEngines: ['pg', 'maria'],
  },
];

const dbApp = watchmanApp({ checks: ['databases'], checkTimeout: 3000 });

async function databases(runner: WatchmanRunner): Promise<Record<string, { ok: boolean; error?: string }>> {
  const report = await runner.run();
  return Object.fromEntries((report.checks[0].aliases ?? []).map(({ alias, outcome }) => [alias, outcome]));
}

const describeServices = await describeWithServices({ PostgreSQL: 5432, MariaDB: 3306 });

describeServices.each(STORES)('databases check on $name', ({ kind, make, bootsDown, hungEngines }) => {
  it('checks every one (the default one and named ones, PostgreSQL and MariaDB at once), by name', async () => {
    const stores = [make(undefined, 'pg'), make('reports', 'pg'), make('maria', 'maria'), make('audit', 'maria')];
    await using(dbApp.imports(...stores).boot(), async ({ runner }) => {
      const report = await runner.run();
      expect(report.checks[0].aliases?.map((a) => [a.alias, a.outcome.ok, a.outcome.error])).toEqual([
        ['audit', true, undefined],
        ['default', true, undefined],
        ['maria', true, undefined],
        ['reports', true, undefined],
      ]);
    });
  });

  it.each(['pg', 'maria'] as const)(
    'boots with %s down, reports it with the driver message, then ok once it is up, without restart',
    async (engine) => {
      const port = await closedPort();
      const stores = [make('late', engine, { port, ...bootsDown }), make('good', engine)];
      await using(dbApp.imports(...stores).boot(), async ({ runner }) => {
        const down = await databases(runner);
        expect(down.good.ok).toBe(true);
        expect(down.late).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
        await using(tcpProxy(ENGINE_PORTS[engine], port), async () => {
          expect((await databases(runner)).late).toMatchObject({ ok: true });
          expect((await databases(runner)).late).toMatchObject({ ok: true });
        });
      });
    },
  );

  it.each([
    ['pg' as const, /database "no_such_db" does not exist/],
    ['maria' as const, /Unknown database 'no_such_db'/],
  ])('reports an unknown %s database with the driver message', async (engine, message) => {
    await using(dbApp.imports(make('broken', engine, { database: 'no_such_db' })).boot(), async ({ runner }) => {
      expect((await databases(runner)).broken).toMatchObject({ ok: false, error: expect.stringMatching(message) });
    });
  });

  it.each(hungEngines)(
    'times out a %s server that accepts and never answers, the others unaffected',
    async (engine) => {
      await using(hungServer(), async (hung) => {
        const stores = [
          // A connect timeout of the app's own: without one a pool waits on a silent server for ever.
          make('hung', engine, { port: hung.port, ...bootsDown, ...connectTimeout(kind, engine, 2000) }),
          make('good', engine === 'pg' ? 'maria' : 'pg'),
        ];
        await using(
          dbApp
            .options({ checkTimeout: 500 })
            .imports(...stores)
            .boot(),
          async ({ runner }) => {
            for (let i = 0; i < 3; i++) {
              const result = await databases(runner);
              expect(result.hung).toMatchObject({ ok: false, error: 'timed out after 500 ms' });
              expect(result.good.ok).toBe(true);
            }
          },
        );
      });
    },
  );

  it.each([
    ['pg' as const, postgresConnections],
    ['maria' as const, mariadbConnections],
  ])(
    'leaks no %s connection over 1,000 runs',
    async (engine, count) => {
      await using(dbApp.imports(make('leakcheck', engine)).boot(), async ({ runner }) => {
        await runner.run();
        const before = await count(localPortsTo(ENGINE_PORTS[engine]));
        expect(before).toBeGreaterThan(0);
        for (let i = 0; i < 1000; i++) expect((await runner.run()).ok).toBe(true);
        expect(await count(localPortsTo(ENGINE_PORTS[engine]))).toBe(before);
      });
    },
    60_000,
  );
});
