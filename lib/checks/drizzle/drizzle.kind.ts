import { abortable } from '../../common/race.js';
import { WatchmanConfigError } from '../../options/config-error.js';
import type { DatabaseKind } from '../databases/database-kind.js';
import { type DrizzleDatabaseLike, isDrizzleDatabase } from './drizzle-database.like.js';
import { isPgPool, mysqlPoolOf, pingMysqlPool, pingPgPool } from './pool-ping.js';

/**
 * The Drizzle databases of the `drizzle` option (Drizzle has no Nest module of record to find
 * them by): `SELECT 1` on a connection of the database's own pool (`db.$client`, node-postgres
 * or mysql2), destroyed on timeout; through `db.execute()` on a single connection, and
 * `db.get()` on SQLite.
 */
export const drizzleKind: DatabaseKind<DrizzleDatabaseLike> = {
  label: 'Drizzle database',
  *configured(settings) {
    for (const [alias, db] of settings.drizzle ?? []) {
      if (!isDrizzleDatabase(db))
        throw new WatchmanConfigError(`drizzle.${alias}`, '<object>', 'expected a Drizzle database (drizzle(...))');
      yield [alias, db] as const;
    }
  },
  async ping(db, signal) {
    const client = db.$client;
    if (isPgPool(client)) return pingPgPool(client, signal);
    const mysqlPool = mysqlPoolOf(client);
    if (mysqlPool) return pingMysqlPool(mysqlPool, signal);
    // One connection (a pg Client, a mysql2 Connection) is the app's own: it cannot be
    // destroyed, only waited on.
    await abortable(Promise.resolve(db.execute ? db.execute('SELECT 1') : db.get?.('SELECT 1')), signal);
  },
};
