import request from 'supertest';
import { runWatchmanCli } from 'nestjs-watchman';
import { ADAPTERS, using } from '../support/http-app.js';
import { mikroOrmContext, sequelizeConnection } from '../support/orm-stores.js';
import { describeWithServices } from '../support/requirements.js';
import { closedPort } from '../support/services.js';
import { type WatchmanAppBuilder, watchmanApp } from '../support/watchman-app.js';

// MikroORM contexts and Sequelize connections show wherever the `databases` aliases show: the
// CLI, the JSON (its `?check` and drill-down), health+json, metrics and the dashboard — passing
// and failing, on the real PostgreSQL and MariaDB.

type Expected = Array<Record<string, { ok: boolean; error?: unknown }>>;

const capture = () => {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
  };
  return { out, io };
};

async function expectOnEverySurface(setup: WatchmanAppBuilder, adapter: (typeof ADAPTERS)[number], expected: Expected) {
  // The CLI boots the same module without HTTP.
  const { out, io } = capture();
  class CliModule {}
  expect(await runWatchmanCli({ module: CliModule, ...setup.metadata() }, ['-c', 'databases', '-v', '2'], io)).toBe(1);
  expect(JSON.parse(out.stdout)).toMatchObject({ databases: expected });

  await using(setup.start(adapter), async ({ url }) => {
    const json = await request(url).get('/watchman');
    expect(json.status).toBe(500);
    expect(json.body).toMatchObject({ databases: expected });
    expect(json.body.databases.map((entry: object) => Object.keys(entry)[0])).toEqual(
      expected.map((entry) => Object.keys(entry)[0]),
    );
    const only = await request(url).get('/watchman?check=databases&check=storage');
    expect(only.body).toMatchObject({ databases: expected });
    expect((await request(url).get('/watchman?skip=databases')).body.databases).toBeUndefined();
    expect((await request(url).get('/watchman/databases')).body).toMatchObject({ databases: expected });

    const health = await request(url).get('/watchman').set('Accept', 'application/health+json');
    const metrics = (await request(url).get('/watchman/metrics')).text;
    const dashboard = (await request(url).get('/watchman/dashboard')).text;
    for (const entry of expected) {
      const [alias, outcome] = Object.entries(entry)[0];
      expect(health.body.checks[`databases:${alias}`]).toEqual([
        expect.objectContaining({
          componentType: 'datastore',
          status: outcome.ok ? 'pass' : 'fail',
          ...(outcome.ok ? {} : { output: outcome.error }),
        }),
      ]);
      expect(metrics).toContain(
        `watchman_check_up{check="databases",alias="${alias}",critical="true"} ${outcome.ok ? 1 : 0}`,
      );
      expect(metrics).toMatch(new RegExp(`watchman_check_duration_seconds\\{check="databases",alias="${alias}"\\}`));
      expect(dashboard).toContain(`<td data-label="Name"><div>${alias}</div></td>`);
    }
  });
}

const describeServices = await describeWithServices({ PostgreSQL: 5432, MariaDB: 3306 });
const down = await closedPort();
const base = watchmanApp({ checks: ['databases', 'storage'], checkTimeout: 3000 });

describeServices('MikroORM and Sequelize on every surface', () => {
  describe.each(ADAPTERS)('on %s', (adapter) => {
    it('MikroORM: every context under its contextName, a failing one with the driver error', async () => {
      const setup = base.imports(
        mikroOrmContext(undefined, 'pg'),
        mikroOrmContext('maria', 'maria'),
        mikroOrmContext('offline', 'pg', { port: down, connect: false }),
      );
      await expectOnEverySurface(setup, adapter, [
        { default: { ok: true } },
        { maria: { ok: true } },
        { offline: { ok: false, error: expect.stringContaining('ECONNREFUSED') } },
      ]);
    });

    it('Sequelize: every connection under its name, a failing one with the driver error', async () => {
      const setup = base.imports(
        sequelizeConnection(undefined, 'pg'),
        sequelizeConnection('maria', 'maria'),
        sequelizeConnection('offline', 'maria', { port: down }),
      );
      await expectOnEverySurface(setup, adapter, [
        { default: { ok: true } },
        { maria: { ok: true } },
        { offline: { ok: false, error: expect.stringContaining('ECONNREFUSED') } },
      ]);
    });
  });
});
