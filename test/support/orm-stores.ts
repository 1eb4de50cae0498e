import { MikroOrmModule } from '@mikro-orm/nestjs';
import { MySqlDriver } from '@mikro-orm/mysql';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SequelizeModule } from '@nestjs/sequelize';

// The MikroORM contexts and Sequelize connections the tests register, as an app does, on the
// real PostgreSQL ('pg', 5432) or MariaDB ('maria', 3306) — or a proxy in front of one.

export type Engine = 'pg' | 'maria';
export const ENGINE_PORTS: Record<Engine, number> = { pg: 5432, maria: 3306 };

/**
 * A MikroORM context (`contextName` undefined: the default one). Several at once need
 * `registerRequestContext: false`; `ensureDatabase: false`, or MikroORM creates a missing
 * database at boot. `connect: false` in `extra` lets it boot with the database down.
 */
export function mikroOrmContext(
  contextName: string | undefined,
  engine: Engine,
  {
    port = ENGINE_PORTS[engine],
    database = 'test',
    ...extra
  }: Record<string, unknown> & { port?: number; database?: string } = {},
) {
  const url =
    engine === 'pg'
      ? `postgres://postgres@127.0.0.1:${port}/${database}`
      : `mysql://root@127.0.0.1:${port}/${database}`;
  return MikroOrmModule.forRoot({
    ...(contextName ? { contextName } : {}),
    driver: engine === 'pg' ? PostgreSqlDriver : MySqlDriver,
    clientUrl: url,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    registerRequestContext: false,
    ensureDatabase: false,
    ...extra,
  });
}

/** A Sequelize connection of @nestjs/sequelize (`name` undefined: the default one); it boots with its database down. */
export function sequelizeConnection(
  name: string | undefined,
  engine: Engine,
  extra: Record<string, unknown> & { port?: number; database?: string } = {},
) {
  return SequelizeModule.forRoot({
    ...(name ? { name } : {}),
    dialect: engine === 'pg' ? 'postgres' : 'mysql',
    host: '127.0.0.1',
    port: ENGINE_PORTS[engine],
    username: engine === 'pg' ? 'postgres' : 'root',
    database: 'test',
    logging: false,
    ...extra,
  });
}

/** A connect timeout of the app's own, per driver: a pool waits on a silent server's connect (when it closes, too). */
export function connectTimeout(store: 'mikro-orm' | 'sequelize', engine: Engine, ms: number): Record<string, unknown> {
  const option = engine === 'pg' ? { connectionTimeoutMillis: ms } : { connectTimeout: ms };
  return store === 'mikro-orm' ? { driverOptions: { connection: option } } : { dialectOptions: option };
}
