import { join } from 'node:path';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type WatchmanRunner, tolerantDataSourceFactory } from 'nestjs-watchman';
import { closedPort, hungServer, tcpProxy } from '../support/services.js';
import { describeWithService } from '../support/requirements.js';
import { mariadbConnections, postgresConnections } from '../support/server-connections.js';
import { localPortsTo } from '../support/socket-count.js';
import { using } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';
import { watchmanApp } from '../support/watchman-app.js';

const PG = { type: 'postgres' as const, host: '127.0.0.1', port: 5432, username: 'postgres', database: 'test' };
const MARIA = {
  type: 'mariadb' as const,
  host: '127.0.0.1',
  port: 3306,
  username: 'root',
  password: '',
  database: 'test',
};

/** A DataSource registered as @nestjs/typeorm does, but booting even when its database is down. */
const tolerant = (name: string, options: Record<string, unknown>) =>
  TypeOrmModule.forRootAsync({
    name,
    useFactory: () => ({ ...options, manualInitialization: true, retryAttempts: 0 }) as never,
    dataSourceFactory: tolerantDataSourceFactory({ connectTimeout: 1500 }),
  });

/** The databases check alone; each test imports its DataSources. */
const dbApp = watchmanApp({ checks: ['databases'], checkTimeout: 3000 });

async function databases(runner: WatchmanRunner): Promise<Record<string, { ok: boolean; error?: string }>> {
  const report = await runner.run();
  return Object.fromEntries((report.checks[0].aliases ?? []).map(({ alias, outcome }) => [alias, outcome]));
}

/**
 * 1,000 runs against one DataSource; the server's own count of this process's connections
 * must not move (other tests running beside this one have connections of their own).
 */
async function expectNoLeak(
  options: Record<string, unknown>,
  port: number,
  count: (ports: number[]) => Promise<number>,
): Promise<void> {
  const leakcheck = TypeOrmModule.forRoot({ ...options, name: 'leakcheck' } as never);
  await using(dbApp.imports(leakcheck).boot(), async ({ runner }) => {
    await runner.run();
    const before = await count(localPortsTo(port));
    expect(before).toBeGreaterThan(0);
    for (let i = 0; i < 1000; i++) expect((await runner.run()).ok).toBe(true);
    expect(await count(localPortsTo(port))).toBe(before);
  });
}

const describePg = await describeWithService('PostgreSQL', 5432);
const describeMaria = await describeWithService('MariaDB', 3306);

describePg('databases check on PostgreSQL', () => {
  it('pings several named DataSources of every engine, found without configuration', async () => {
    const file = join(tempDir(), 'app.sqlite');
    const engines = [
      TypeOrmModule.forRoot({ ...PG, name: 'pg' }),
      TypeOrmModule.forRoot({ type: 'sqljs', name: 'sqlite_memory' }),
      TypeOrmModule.forRoot({ type: 'sqljs', name: 'sqlite_file', location: file, autoSave: true }),
    ];
    await using(dbApp.imports(...engines).boot(), async ({ runner }) => {
      const report = await runner.run();
      expect(report.checks[0].aliases?.map((a) => [a.alias, a.outcome.ok, a.outcome.error])).toEqual([
        ['pg', true, undefined],
        ['sqlite_file', true, undefined],
        ['sqlite_memory', true, undefined],
      ]);
    });
  });

  it.each([
    ['a closed port', async () => ({ port: await closedPort() }), /ECONNREFUSED/],
    ['an unknown database', async () => ({ database: 'no_such_db' }), /database "no_such_db" does not exist/],
    [
      'an unknown role (trust auth ignores passwords here)',
      async () => ({ username: 'no_such_role', password: 'wrong' }),
      /role "no_such_role" does not exist/,
    ],
  ])(
    'reports %s with the driver message while the others stay ok, and the app boots',
    async (_what, override, message) => {
      const broken = tolerant('broken', { ...PG, ...(await override()) });
      await using(dbApp.imports(broken, TypeOrmModule.forRoot({ ...PG, name: 'good' })).boot(), async ({ runner }) => {
        const result = await databases(runner);
        expect(result.good.ok).toBe(true);
        expect(result.broken.ok).toBe(false);
        expect(result.broken.error).toMatch(message);
      });
    },
  );

  it('times out a server that accepts and never answers, and the process stays healthy', async () => {
    await using(hungServer(), async (hung) => {
      const engines = [tolerant('hung', { ...PG, port: hung.port }), TypeOrmModule.forRoot({ ...PG, name: 'good' })];
      await using(
        dbApp
          .options({ checkTimeout: 500 })
          .imports(...engines)
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
  });

  it('reports a database that was down at start-up, then ok once it is up, without restart', async () => {
    const port = await closedPort();
    await using(dbApp.imports(tolerant('late', { ...PG, port })).boot(), async ({ runner }) => {
      expect((await databases(runner)).late).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
      // the database "comes up" on the port the app was given
      await using(tcpProxy(5432, port), async () => {
        expect((await databases(runner)).late).toMatchObject({ ok: true });
        expect((await databases(runner)).late).toMatchObject({ ok: true });
      });
    });
  });

  it('leaks no connection over 1,000 runs', () => expectNoLeak(PG, 5432, postgresConnections));
});

describeMaria('databases check on MariaDB', () => {
  it('pings MariaDB and MySQL-typed DataSources', async () => {
    const engines = [
      TypeOrmModule.forRoot({ ...MARIA, name: 'maria' }),
      TypeOrmModule.forRoot({ ...MARIA, type: 'mysql', name: 'mysql' }),
    ];
    await using(dbApp.imports(...engines).boot(), async ({ runner }) => {
      const result = await databases(runner);
      expect(result).toMatchObject({ maria: { ok: true }, mysql: { ok: true } });
    });
  });

  it.each([
    ['a wrong password', async () => ({ password: 'wrong-password' }), /Access denied for user 'root'/],
    ['an unknown database', async () => ({ database: 'no_such_db' }), /Unknown database 'no_such_db'/],
    ['a closed port', async () => ({ port: await closedPort() }), /ECONNREFUSED/],
  ])('reports %s with the driver message', async (_what, override, message) => {
    const broken = tolerant('broken', { ...MARIA, ...(await override()) });
    await using(dbApp.imports(broken, TypeOrmModule.forRoot({ ...MARIA, name: 'good' })).boot(), async ({ runner }) => {
      const result = await databases(runner);
      expect(result.good.ok).toBe(true);
      expect(result.broken).toMatchObject({ ok: false, error: expect.stringMatching(message) });
    });
  });

  it('times out a hung MySQL server', async () => {
    await using(hungServer(), async (hung) => {
      const engine = tolerant('hung', { ...MARIA, port: hung.port, connectTimeout: 10_000 });
      await using(dbApp.options({ checkTimeout: 500 }).imports(engine).boot(), async ({ runner }) => {
        expect((await databases(runner)).hung).toMatchObject({ ok: false, error: 'timed out after 500 ms' });
      });
    });
  });

  it('leaks no connection over 1,000 runs', () => expectNoLeak(MARIA, 3306, mariadbConnections));
});
