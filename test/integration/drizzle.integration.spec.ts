import { drizzle as mysqlDrizzle } from 'drizzle-orm/mysql2';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { drizzle as sqlJsDrizzle } from 'drizzle-orm/sql-js';
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import pg from 'pg';
import initSqlJs from 'sql.js';
import type { WatchmanRunner } from 'nestjs-watchman';
import { type FaultProxy, faultProxy } from '../support/fault-proxy.mjs';
import { using } from '../support/http-app.js';
import { until } from '../support/until.js';
import { describeWithService } from '../support/requirements.js';
import { mariadbConnections, postgresConnections } from '../support/server-connections.js';
import { localPortsTo } from '../support/socket-count.js';
import { watchmanApp } from '../support/watchman-app.js';

// Drizzle over its node drivers against the real PostgreSQL, MariaDB and an embedded SQLite:
// the databases of the `drizzle` option, each a real round trip, none leaving a connection behind.

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const MARIA = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' };

async function databases(runner: WatchmanRunner): Promise<Record<string, { ok: boolean; error?: string }>> {
  const report = await runner.run();
  return Object.fromEntries((report.checks[0].aliases ?? []).map(({ alias, outcome }) => [alias, outcome]));
}

/** The databases check over these Drizzle databases, closing the drivers after the app. */
const drizzleApp = (drizzle: Record<string, object>, close: Array<() => unknown>, checkTimeout = 3000) =>
  watchmanApp({ checks: ['databases'], checkTimeout, drizzle }).afterClose(() =>
    Promise.all(close.map((end) => end())),
  );

const describePg = await describeWithService('PostgreSQL', 5432);
const describeMaria = await describeWithService('MariaDB', 3306);

describe('Drizzle on SQLite (sql.js)', () => {
  it('pings an embedded database through db.get()', async () => {
    const SQL = await initSqlJs();
    const sqlite = new SQL.Database();
    await using(drizzleApp({ embedded: sqlJsDrizzle(sqlite) }, [() => sqlite.close()]).boot(), async ({ runner }) => {
      expect(await databases(runner)).toEqual({ embedded: expect.objectContaining({ ok: true }) });
    });
  });

  it('stops start-up when the option holds something that is no Drizzle database', async () => {
    await expect(drizzleApp({ main: { query: () => undefined } }, []).bootAndClose()).rejects.toThrow(
      'nestjs-watchman: invalid drizzle.main "<object>": expected a Drizzle database (drizzle(...))',
    );
  });
});

describePg('Drizzle on PostgreSQL (node-postgres)', () => {
  it('pings a database over a Pool, over a single Client, and one made from a URL', async () => {
    const pool = new pg.Pool({ connectionString: PG_URL });
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    const fromUrl = pgDrizzle(PG_URL);
    const ends = [() => pool.end(), () => client.end(), () => fromUrl.$client.end()];
    await using(
      drizzleApp({ pooled: pgDrizzle(pool), single: pgDrizzle(client), url: fromUrl }, ends).boot(),
      async ({ runner }) => {
        expect(await databases(runner)).toEqual({
          pooled: expect.objectContaining({ ok: true }),
          single: expect.objectContaining({ ok: true }),
          url: expect.objectContaining({ ok: true }),
        });
      },
    );
  });

  it('destroys a pooled connection the timeout cut: the server sees it go while the hang lasts', async () => {
    await using(faultProxy(5432), async (proxy) => {
      const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/test` });
      await expectCutConnectionDestroyed(proxy, pgDrizzle(pool), () => pool.end(), postgresConnections);
    });
  });

  it('leaks no connection over 1,000 runs (the server counts them)', async () => {
    const pool = new pg.Pool({ connectionString: PG_URL });
    await expectNoLeak(pgDrizzle(pool), () => pool.end(), 5432, postgresConnections);
  }, 60_000);
});

describeMaria('Drizzle on MariaDB (mysql2)', () => {
  it('pings a database over a callback pool, a promise pool and a single connection', async () => {
    const callbackPool = mysql.createPool(MARIA);
    const promisePool = mysqlPromise.createPool(MARIA);
    const connection = await mysqlPromise.createConnection(MARIA);
    const ends = [() => callbackPool.promise().end(), () => promisePool.end(), () => connection.end()];
    const dbs = {
      callback: mysqlDrizzle(callbackPool),
      promise: mysqlDrizzle(promisePool),
      single: mysqlDrizzle(connection),
    };
    await using(drizzleApp(dbs, ends).boot(), async ({ runner }) => {
      expect(await databases(runner)).toEqual({
        callback: expect.objectContaining({ ok: true }),
        promise: expect.objectContaining({ ok: true }),
        single: expect.objectContaining({ ok: true }),
      });
    });
  });

  it('destroys a pooled connection the timeout cut: the server sees it go while the hang lasts', async () => {
    await using(faultProxy(3306), async (proxy) => {
      const pool = mysqlPromise.createPool({ ...MARIA, port: proxy.port });
      await expectCutConnectionDestroyed(proxy, mysqlDrizzle(pool), () => pool.end(), mariadbConnections);
    });
  });

  it('leaks no connection over 1,000 runs (the server counts them)', async () => {
    const pool = mysqlPromise.createPool(MARIA);
    await expectNoLeak(mysqlDrizzle(pool), () => pool.end(), 3306, mariadbConnections);
  }, 60_000);
});

/** A ping hung by a paused proxy is cut at the timeout, and its connection closed at once. */
async function expectCutConnectionDestroyed(
  proxy: FaultProxy,
  db: object,
  end: () => unknown,
  count: (ports: number[]) => Promise<number>,
): Promise<void> {
  await using(drizzleApp({ main: db }, [end], 500).boot(), async ({ runner }) => {
    expect((await databases(runner)).main.ok).toBe(true);
    expect(await count(proxy.upstreamPorts())).toBe(1);
    await proxy.set('pause');
    expect((await databases(runner)).main).toMatchObject({ ok: false, error: 'timed out after 500 ms' });
    expect(
      await until(
        () => proxy.upstreamPorts().length,
        (open) => open === 0,
        { limitMs: 5000 },
      ),
    ).toBe(0);
    await proxy.set('pass');
    expect((await databases(runner)).main.ok).toBe(true);
  });
}

async function expectNoLeak(
  db: object,
  end: () => unknown,
  port: number,
  count: (ports: number[]) => Promise<number>,
): Promise<void> {
  await using(drizzleApp({ main: db }, [end]).boot(), async ({ runner }) => {
    await runner.run();
    const before = await count(localPortsTo(port));
    expect(before).toBeGreaterThan(0);
    for (let i = 0; i < 1000; i++) expect((await runner.run()).ok).toBe(true);
    expect(await count(localPortsTo(port))).toBe(before);
    console.log(`Drizzle on ${port}: ${before} server connection(s) before and after 1,000 runs`);
  });
}
