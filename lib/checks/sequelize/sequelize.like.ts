/** The part of a Sequelize connection manager the check uses. */
export interface SequelizeConnectionManagerLike {
  getConnection(options?: object): Promise<unknown>;
  releaseConnection(connection: unknown): unknown;
  destroyConnection(connection: unknown): Promise<unknown>;
}

/** The part of a `Sequelize` instance the databases check uses (sequelize stays an optional peer). */
export interface SequelizeLike {
  readonly options: { name?: unknown };
  readonly connectionManager: SequelizeConnectionManagerLike;
  authenticate(options?: object): Promise<void>;
  getDialect(): string;
}

/** Duck-typed, so a Sequelize (or sequelize-typescript) instance from any copy is recognised. */
export function isSequelize(value: unknown): value is SequelizeLike {
  const candidate = value as Partial<SequelizeLike>;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.authenticate === 'function' &&
    typeof candidate.getDialect === 'function' &&
    typeof candidate.connectionManager?.getConnection === 'function' &&
    typeof candidate.connectionManager.destroyConnection === 'function'
  );
}

/**
 * The alias of a Sequelize provider, as @nestjs/sequelize names connections: the `Sequelize`
 * class token is `default`, `"<name>Connection"` is `<name>`.
 */
export function sequelizeAlias(sequelize: SequelizeLike, token: unknown): string {
  if (typeof token === 'function' && token.name === 'Sequelize') return 'default';
  if (typeof token === 'string' && token.endsWith('Connection') && token !== 'Connection') {
    return token.slice(0, -'Connection'.length);
  }
  const { name } = sequelize.options;
  return typeof name === 'string' && name !== '' ? name : typeof token === 'string' ? token : 'default';
}
