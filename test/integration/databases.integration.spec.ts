import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WatchmanModule, WatchmanRunner, tolerantDataSourceFactory } from 'nestjs-watchman';
import { closedPort, hungServer, tcpProxy } from '../support/services.js';
import { describeWithService } from '../support/requirements.js';
import { mariadbConnections, postgresConnections } from '../support/server-connections.js';
import { localPortsTo } from '../support/socket-count.js';
import { tempDir } from '../support/temp-dir.js';

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

async function boot(
  imports: unknown[],
  checkTimeout = 3000,
): Promise<{ app: INestApplication; runner: WatchmanRunner }> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ...(imports as never[]),
      WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['databases'], checkTimeout }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return { app, runner: app.get(WatchmanRunner) };
}

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
  const { app, runner } = await boot([TypeOrmModule.forRoot({ ...options, name: 'leakcheck' } as never)]);
  try {
    await runner.run();
    const before = await count(localPortsTo(port));
    expect(before).toBeGreaterThan(0);
    for (let i = 0; i < 1000; i++) expect((await runner.run()).ok).toBe(true);
    expect(await count(localPortsTo(port))).toBe(before);
  } finally {
    await app.close();
  }
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
    const { app, runner } = await boot(engines);
    try {
      const report = await runner.run();
      expect(report.checks[0].aliases?.map((a) => [a.alias, a.outcome.ok, a.outcome.error])).toEqual([
        ['pg', true, undefined],
        ['sqlite_file', true, undefined],
        ['sqlite_memory', true, undefined],
      ]);
    } finally {
      await app.close();
    }
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
      const { app, runner } = await boot([
        tolerant('broken', { ...PG, ...(await override()) }),
        TypeOrmModule.forRoot({ ...PG, name: 'good' }),
      ]);
      try {
        const result = await databases(runner);
        expect(result.good.ok).toBe(true);
        expect(result.broken.ok).toBe(false);
        expect(result.broken.error).toMatch(message);
      } finally {
        await app.close();
      }
    },
  );

  it('times out a server that accepts and never answers, and the process stays healthy', async () => {
    const hung = await hungServer();
    const { app, runner } = await boot(
      [tolerant('hung', { ...PG, port: hung.port }), TypeOrmModule.forRoot({ ...PG, name: 'good' })],
      500,
    );
    try {
      for (let i = 0; i < 3; i++) {
        const result = await databases(runner);
        expect(result.hung).toMatchObject({ ok: false, error: 'timed out after 500 ms' });
        expect(result.good.ok).toBe(true);
      }
    } finally {
      await app.close();
      await hung.close();
    }
  });

  it('reports a database that was down at start-up, then ok once it is up, without restart', async () => {
    const port = await closedPort();
    const { app, runner } = await boot([tolerant('late', { ...PG, port })]);
    let proxy: Awaited<ReturnType<typeof tcpProxy>> | undefined;
    try {
      expect((await databases(runner)).late).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
      proxy = await tcpProxy(5432, port); // the database "comes up" on the port the app was given
      expect((await databases(runner)).late).toMatchObject({ ok: true });
      expect((await databases(runner)).late).toMatchObject({ ok: true });
    } finally {
      await app.close();
      await proxy?.close();
    }
  });

  it('leaks no connection over 1,000 runs', () => expectNoLeak(PG, 5432, postgresConnections));
});

describeMaria('databases check on MariaDB', () => {
  it('pings MariaDB and MySQL-typed DataSources', async () => {
    const { app, runner } = await boot([
      TypeOrmModule.forRoot({ ...MARIA, name: 'maria' }),
      TypeOrmModule.forRoot({ ...MARIA, type: 'mysql', name: 'mysql' }),
    ]);
    try {
      const result = await databases(runner);
      expect(result).toMatchObject({ maria: { ok: true }, mysql: { ok: true } });
    } finally {
      await app.close();
    }
  });

  it.each([
    ['a wrong password', async () => ({ password: 'wrong-password' }), /Access denied for user 'root'/],
    ['an unknown database', async () => ({ database: 'no_such_db' }), /Unknown database 'no_such_db'/],
    ['a closed port', async () => ({ port: await closedPort() }), /ECONNREFUSED/],
  ])('reports %s with the driver message', async (_what, override, message) => {
    const { app, runner } = await boot([
      tolerant('broken', { ...MARIA, ...(await override()) }),
      TypeOrmModule.forRoot({ ...MARIA, name: 'good' }),
    ]);
    try {
      const result = await databases(runner);
      expect(result.good.ok).toBe(true);
      expect(result.broken).toMatchObject({ ok: false, error: expect.stringMatching(message) });
    } finally {
      await app.close();
    }
  });

  it('times out a hung MySQL server', async () => {
    const hung = await hungServer();
    const { app, runner } = await boot([tolerant('hung', { ...MARIA, port: hung.port, connectTimeout: 10_000 })], 500);
    try {
      expect((await databases(runner)).hung).toMatchObject({ ok: false, error: 'timed out after 500 ms' });
    } finally {
      await app.close();
      await hung.close();
    }
  });

  it('leaks no connection over 1,000 runs', () => expectNoLeak(MARIA, 3306, mariadbConnections));
});
