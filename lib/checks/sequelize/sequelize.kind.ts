import type { DatabaseKind } from '../databases/database-kind.js';
import { onOwnConnection } from '../databases/own-connection.js';
import { destroyRawConnection } from '../databases/raw-connection.js';
import { type SequelizeLike, isSequelize, sequelizeAlias } from './sequelize.like.js';

/**
 * Sequelize 6 (`SequelizeModule.forRoot()`, one instance per connection `name`):
 * `authenticate()`, on a connection the check holds itself — handed over as Sequelize does
 * for its own version query (`transaction: { connection }`) — so a timeout can destroy it.
 */
export const sequelizeKind: DatabaseKind<SequelizeLike> = {
  label: 'Sequelize instance',
  recognise: isSequelize,
  alias: (token, sequelize) => sequelizeAlias(sequelize, token),
  async ping(sequelize, signal) {
    const manager = sequelize.connectionManager;
    const lease = {
      // The pool authenticate() itself would use (a read replica's, when there are some).
      acquire: () => manager.getConnection({ type: 'SELECT' }),
      release: (connection: unknown) => manager.releaseConnection(connection),
      destroy(connection: unknown) {
        destroyRawConnection(connection);
        void manager.destroyConnection(connection).catch(() => undefined);
      },
    };
    // logging: false — a probe every few seconds must not fill the app's SQL log.
    await onOwnConnection(lease, signal, (connection) =>
      sequelize.authenticate({ transaction: { connection }, logging: false }),
    );
  },
};
