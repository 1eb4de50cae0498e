/** The part of a knex instance (MikroORM 6's SQL drivers) the check uses. */
export interface KnexLike {
  raw(sql: string): { connection(connection: unknown): PromiseLike<unknown> };
  client: {
    acquireConnection(): Promise<unknown>;
    releaseConnection(connection: unknown): unknown;
  };
}

/** The part of a MikroORM driver connection the check uses. */
export interface MikroOrmConnectionLike {
  /** SQL drivers (knex based) only. */
  getKnex?(): KnexLike;
}

/** The part of a `MikroORM` instance the databases check uses (@mikro-orm/core stays an optional peer). */
export interface MikroOrmLike {
  readonly config: { get(key: string): unknown };
  readonly driver: { getConnection(): MikroOrmConnectionLike };
  isConnected(): Promise<boolean>;
  checkConnection(): Promise<{ ok: boolean; reason?: string; error?: Error }>;
}

/** Duck-typed, so a MikroORM instance from any copy of @mikro-orm/core is recognised. */
export function isMikroOrm(value: unknown): value is MikroOrmLike {
  const candidate = value as Partial<MikroOrmLike> & { em?: unknown };
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.isConnected === 'function' &&
    typeof candidate.checkConnection === 'function' &&
    typeof candidate.config?.get === 'function' &&
    typeof candidate.driver?.getConnection === 'function' &&
    typeof candidate.em === 'object'
  );
}

/** Its `contextName`, as @mikro-orm/nestjs names contexts (`default` unless given). */
export function mikroOrmAlias(orm: MikroOrmLike): string {
  const name = orm.config.get('contextName');
  return typeof name === 'string' && name !== '' ? name : 'default';
}
