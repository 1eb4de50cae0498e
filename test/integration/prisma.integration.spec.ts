import { TypeOrmModule } from '@nestjs/typeorm';
import type { WatchmanRunner } from 'nestjs-watchman';
import { prismaService } from '../fixtures/prisma/prisma-services.js';
import { using } from '../support/http-app.js';
import { PRISMA_PORTS, type PrismaFlavour, prismaAdapter, prismaClientClass } from '../support/prisma.js';
import { describeWithService } from '../support/requirements.js';
import { mariadbConnections, postgresConnections } from '../support/server-connections.js';
import { closedPort, hungServer, tcpProxy } from '../support/services.js';
import { localPortsTo } from '../support/socket-count.js';
import { watchmanApp } from '../support/watchman-app.js';

// Prisma 7 with driver adapters against the real PostgreSQL and MariaDB: every PrismaClient
// provider found by itself, under the alias rule, in the one namespace of the databases list.

const dbApp = watchmanApp({ checks: ['databases'], checkTimeout: 3000 });

async function databases(runner: WatchmanRunner): Promise<Record<string, { ok: boolean; error?: string }>> {
  const report = await runner.run();
  return Object.fromEntries((report.checks[0].aliases ?? []).map(({ alias, outcome }) => [alias, outcome]));
}

const SERVERS: Record<PrismaFlavour, { name: string; count: (ports: number[]) => Promise<number> }> = {
  pg: { name: 'PostgreSQL', count: postgresConnections },
  mariadb: { name: 'MariaDB', count: mariadbConnections },
};

/** What a database that is down says, by flavour (the mariadb pool retries until acquireTimeout). */
const DOWN: Record<PrismaFlavour, RegExp> = {
  pg: /^Can't reach database server at 127\.0\.0\.1:\d+$/,
  mariadb: /pool timeout: failed to retrieve a connection from pool after \d+ms/,
};
/** Driver settings that let a dead server be told quickly (the mariadb pool waits 10 s by default). */
const QUICK: Record<PrismaFlavour, Record<string, unknown>> = {
  pg: { connectionTimeoutMillis: 1000 },
  mariadb: { acquireTimeout: 1000, connectTimeout: 1000 },
};

const describes = {
  pg: await describeWithService('PostgreSQL', PRISMA_PORTS.pg),
  mariadb: await describeWithService('MariaDB', PRISMA_PORTS.mariadb),
};

describe.each(Object.keys(SERVERS) as PrismaFlavour[])('Prisma on %s', (flavour) =>
  describes[flavour](SERVERS[flavour].name, () => prismaSuite(flavour)),
);

function prismaSuite(flavour: PrismaFlavour): void {
  const port = PRISMA_PORTS[flavour];
  const server = SERVERS[flavour];

  it('finds every PrismaClient provider by itself, beside a DataSource, named by the alias rule or databaseTokens', async () => {
    const PrismaClient = await prismaClientClass(flavour);
    const PrismaService = await prismaService('PrismaService', flavour, port);
    const ReportingClient = await prismaService('ReportingClient', flavour, port);
    const clients = [new PrismaClient({ adapter: prismaAdapter(flavour, port) })];
    clients.push(new PrismaClient({ adapter: prismaAdapter(flavour, port) }));
    const setup = dbApp
      .options({ databaseTokens: { main: PrismaService } })
      .imports(TypeOrmModule.forRoot({ type: 'sqljs' }))
      .providers(
        PrismaService,
        ReportingClient,
        { provide: PrismaClient, useValue: clients[0] },
        { provide: 'AUDIT_DB', useValue: clients[1] },
      )
      .afterClose(() => Promise.all(clients.map((client) => client.$disconnect())));
    await using(setup.boot(), async ({ runner }) => {
      const report = await runner.run();
      expect(report.checks[0].aliases?.map(({ alias, outcome }) => [alias, outcome.ok, outcome.error])).toEqual([
        ['audit_db', true, undefined],
        ['default', true, undefined],
        ['main', true, undefined],
        ['prisma', true, undefined],
        ['reporting', true, undefined],
      ]);
    });
  });

  it('stops start-up when a PrismaClient provider and a DataSource go by one alias', async () => {
    const ReportingClient = await prismaService('ReportingClient', flavour, port);
    const clash = dbApp.imports(TypeOrmModule.forRoot({ type: 'sqljs', name: 'reporting' })).providers(ReportingClient);
    const error = await clash.bootAndClose().then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    expect(error?.message).toMatch(/^nestjs-watchman: two databases go by the alias "reporting": /);
    expect(error?.message).toContain('TypeORM DataSource provider reportingDataSource');
    expect(error?.message).toContain('PrismaClient provider ReportingClient');
  });

  it('reports a database that was down at start-up with the driver message, then ok once it is up, without restart', async () => {
    const late = await closedPort();
    const LateService = await prismaService('LateService', flavour, late, QUICK[flavour]);
    await using(dbApp.providers(LateService).boot(), async ({ runner }) => {
      expect((await databases(runner)).late).toMatchObject({ ok: false, error: expect.stringMatching(DOWN[flavour]) });
      // the database "comes up" on the port the app was given
      await using(tcpProxy(port, late), async () => {
        expect((await databases(runner)).late).toMatchObject({ ok: true });
        expect((await databases(runner)).late).toMatchObject({ ok: true });
      });
    });
  });

  it('times out a server that accepts and never answers, per alias, and the others stay ok', async () => {
    await using(hungServer(), async (hung) => {
      // The driver's own timeouts let the app close (Prisma's $disconnect waits for the hung connect).
      const HungService = await prismaService('HungService', flavour, hung.port, QUICK[flavour]);
      const GoodService = await prismaService('GoodService', flavour, port);
      await using(
        dbApp.options({ checkTimeout: 500 }).providers(HungService, GoodService).boot(),
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

  it('leaks no connection over 1,000 runs (the server counts them)', async () => {
    const LeakService = await prismaService('LeakService', flavour, port);
    await using(dbApp.providers(LeakService).boot(), async ({ runner }) => {
      const before = await settledCount(runner, () => server.count(localPortsTo(port)));
      expect(before).toBeGreaterThan(0);
      for (let i = 0; i < 1000; i++) expect((await runner.run()).ok).toBe(true);
      expect(await server.count(localPortsTo(port))).toBe(before);
      console.log(`Prisma on ${flavour}: ${before} server connection(s) before and after 1,000 runs`);
    });
  }, 60_000);
}

/**
 * The server's count of this process's connections once the pool has settled: the mariadb pool
 * opens connections in the background up to `minimumIdle` (default: its limit, 10).
 */
async function settledCount(runner: WatchmanRunner, count: () => Promise<number>): Promise<number> {
  let last = -1;
  for (let stable = 0; stable < 3;) {
    await runner.run();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await count();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}
