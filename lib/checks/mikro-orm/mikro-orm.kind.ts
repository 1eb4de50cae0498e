import { abortable } from '../../common/race.js';
import type { DatabaseKind } from '../databases/database-kind.js';
import { onOwnConnection } from '../databases/own-connection.js';
import { destroyRawConnection } from '../databases/raw-connection.js';
import { type KnexLike, type MikroOrmLike, isMikroOrm, mikroOrmAlias } from './mikro-orm.like.js';

/**
 * MikroORM 6 (`MikroOrmModule.forRoot()`, one instance per `contextName`). On SQL drivers
 * `isConnected()` is a `select 1` on whichever pooled connection knex picks, which a timeout
 * cannot take back; the check runs the same round trip on a connection of its own instead, so
 * a hung query is cut with its connection. Other drivers (MongoDB) answer `checkConnection()`.
 */
export const mikroOrmKind: DatabaseKind<MikroOrmLike> = {
  label: 'MikroORM instance',
  recognise: isMikroOrm,
  alias: (_token, orm) => mikroOrmAlias(orm),
  async ping(orm, signal) {
    const connection = orm.driver.getConnection();
    const knex = typeof connection.getKnex === 'function' ? connection.getKnex() : undefined;
    if (!knex) {
      const check = await abortable(orm.checkConnection(), signal);
      if (!check.ok) throw check.error ?? new Error(check.reason ?? 'MikroORM is not connected');
      return;
    }
    await onOwnConnection(knexLease(knex), signal, async (own) => await knex.raw('select 1').connection(own));
  },
};

function knexLease(knex: KnexLike) {
  return {
    acquire: () => knex.client.acquireConnection(),
    release: (connection: unknown) => knex.client.releaseConnection(connection),
    destroy(connection: unknown) {
      // knex's own mark for a dead connection: the pool drops it instead of handing it out.
      (connection as { __knex__disposed?: unknown }).__knex__disposed = new Error('cut by a watchman check');
      destroyRawConnection(connection);
      void Promise.resolve(knex.client.releaseConnection(connection)).catch(() => undefined);
    },
  };
}
