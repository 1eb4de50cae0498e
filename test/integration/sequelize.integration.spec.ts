import type { WatchmanRunner } from 'nestjs-watchman';
import { using } from '../support/http-app.js';
import { ENGINE_PORTS, connectTimeout, sequelizeConnection as sequelize } from '../support/orm-stores.js';
import { describeWithServices } from '../support/requirements.js';
import { mariadbConnections, postgresConnections } from '../support/server-connections.js';
import { closedPort, hungServer, tcpProxy } from '../support/services.js';
import { localPortsTo } from '../support/socket-count.js';
import { watchmanApp } from '../support/watchman-app.js';

// Sequelize 6 through @nestjs/sequelize, on the real PostgreSQL and MariaDB: every connection
// is found by itself, by its name.

const dbApp = watchmanApp({ checks: ['databases'], checkTimeout: 3000 });

async function databases(runner: WatchmanRunner): Promise<Record<string, { ok: boolean; error?: string }>> {
  const report = await runner.run();
  return Object.fromEntries((report.checks[0].aliases ?? []).map(({ alias, outcome }) => [alias, outcome]));
}

const describeServices = await describeWithServices({ PostgreSQL: 5432, MariaDB: 3306 });

describeServices('databases check on Sequelize connections', () => {
  it('authenticates every connection (the default one and named ones, PostgreSQL and MariaDB at once), by name', async () => {
    const connections = [
      sequelize(undefined, 'pg'),
      sequelize('reports', 'pg'),
      sequelize('maria', 'maria'),
      sequelize('audit', 'maria'),
    ];
    await using(dbApp.imports(...connections).boot(), async ({ runner }) => {
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
      const connections = [sequelize('late', engine, { port }), sequelize('good', engine)];
      await using(dbApp.imports(...connections).boot(), async ({ runner }) => {
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
    await using(dbApp.imports(sequelize('broken', engine, { database: 'no_such_db' })).boot(), async ({ runner }) => {
      expect((await databases(runner)).broken).toMatchObject({ ok: false, error: expect.stringMatching(message) });
    });
  });

  it.each(['pg', 'maria'] as const)(
    'times out a %s server that accepts and never answers, the other connections unaffected',
    async (engine) => {
      await using(hungServer(), async (hung) => {
        const connections = [
          // A connect timeout of the app's own: without one a pool waits on a silent server for ever.
          sequelize('hung', engine, {
            port: hung.port,
            ...connectTimeout('sequelize', engine, 2000),
          }),
          sequelize('good', engine === 'pg' ? 'maria' : 'pg'),
        ];
        await using(
          dbApp
            .options({ checkTimeout: 500 })
            .imports(...connections)
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
      await using(dbApp.imports(sequelize('leakcheck', engine)).boot(), async ({ runner }) => {
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
