import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import request from 'supertest';
import { runWatchmanCli } from 'nestjs-watchman';
import { prismaService } from '../fixtures/prisma/prisma-services.js';
import { ADAPTERS, using } from '../support/http-app.js';
import { describeWithService } from '../support/requirements.js';
import { closedPort } from '../support/services.js';
import { type WatchmanAppBuilder, watchmanApp } from '../support/watchman-app.js';

// Each new store's aliases show wherever the `databases` aliases show: the JSON (and its
// `?check` and drill-down), health+json, metrics, the dashboard and the CLI — passing and failing.

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The JSON of every surface for the databases check of an app. */
async function surfaces(url: string) {
  const json = await request(url).get('/watchman');
  const only = await request(url).get('/watchman?check=databases');
  const drill = await request(url).get('/watchman/databases');
  const health = await request(url).get('/watchman').set('Accept', 'application/health+json');
  const metrics = await request(url).get('/watchman/metrics');
  const dashboard = await request(url).get('/watchman/dashboard');
  return { json, only, drill, health, metrics: metrics.text, dashboard: dashboard.text };
}

type Expected = Array<Record<string, { ok: boolean; error?: unknown }>>;

/** Asserts each alias on the CLI of the module, then on every HTTP surface. */
async function expectAliases(setup: WatchmanAppBuilder, adapter: (typeof ADAPTERS)[number], expected: Expected) {
  const allOk = expected.every((entry) => Object.values(entry)[0].ok);
  // The CLI boots the same module without HTTP.
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
  };
  class CliModule {}
  expect(await runWatchmanCli({ module: CliModule, ...setup.metadata() }, ['-c', 'databases', '-v', '2'], io)).toBe(
    allOk ? 0 : 1,
  );
  expect(JSON.parse(out.stdout)).toMatchObject({ databases: expected });

  await using(setup.start(adapter), async (app) => {
    const seen = await surfaces(app.url);
    expect(seen.json.status).toBe(allOk ? 200 : 500);
    expect(seen.json.body).toMatchObject({ databases: expected });
    expect(Object.keys(seen.json.body)).toEqual(['databases']);
    expect(seen.only.body).toEqual(seen.json.body);
    expect(seen.drill.body).toEqual(seen.json.body);
    for (const entry of expected) {
      const [alias, outcome] = Object.entries(entry)[0];
      expect(seen.health.body.checks[`databases:${alias}`]).toEqual([
        expect.objectContaining({
          componentType: 'datastore',
          status: outcome.ok ? 'pass' : 'fail',
          ...(outcome.ok ? {} : { output: outcome.error }),
        }),
      ]);
      expect(seen.metrics).toContain(
        `watchman_check_up{check="databases",alias="${alias}",critical="true"} ${outcome.ok ? 1 : 0}`,
      );
      expect(seen.metrics).toMatch(
        new RegExp(`watchman_check_duration_seconds\\{check="databases",alias="${alias}"\\}`),
      );
      expect(seen.dashboard).toContain(`<td data-label="Name"><div>${alias}</div></td>`);
    }
  });
}

const describePg = await describeWithService('PostgreSQL', 5432);

const down = await closedPort();
const PrismaService = await prismaService('PrismaService', 'pg', 5432);
const ReportingClient = await prismaService('ReportingClient', 'pg', 5432);
const ArchiveService = await prismaService('ArchiveService', 'pg', down);

describePg('new stores on every surface', () => {
  describe.each(ADAPTERS)('on %s', (adapter) => {
    it('Prisma: every PrismaClient provider under its alias, a failing one with the driver error', async () => {
      const setup = watchmanApp({ checks: ['databases'], checkTimeout: 3000 }).providers(
        PrismaService,
        ReportingClient,
        ArchiveService,
      );
      await expectAliases(setup, adapter, [
        { archive: { ok: false, error: `Can't reach database server at 127.0.0.1:${down}` } },
        { prisma: { ok: true } },
        { reporting: { ok: true } },
      ]);
    });

    it('Drizzle: every database of the drizzle option under its name, a failing one with the driver error', async () => {
      const pools = [new pg.Pool({ connectionString: PG_URL }), new pg.Pool({ host: '127.0.0.1', port: down })];
      const setup = watchmanApp({
        checks: ['databases'],
        checkTimeout: 3000,
        drizzle: { main: drizzle(pools[0]), offline: drizzle(pools[1]) },
      }).afterClose(() => Promise.all(pools.map((pool) => pool.end())));
      await expectAliases(setup, adapter, [
        { main: { ok: true } },
        { offline: { ok: false, error: expect.stringContaining('ECONNREFUSED') } },
      ]);
    });
  });
});
