/** The part of a TypeORM DataSource the databases check uses (typeorm stays an optional peer). */
export interface DataSourceLike {
  readonly isInitialized: boolean;
  readonly options: { type: string; name?: string; database?: unknown; location?: unknown };
  initialize(): Promise<unknown>;
  createQueryRunner(): QueryRunnerLike;
}

/** The part of a TypeORM QueryRunner the check uses. */
export interface QueryRunnerLike {
  query(sql: string): Promise<unknown>;
  release(): Promise<void>;
  connect?(): Promise<unknown>;
  databaseConnection?: unknown;
  isReleased?: boolean;
}

/** Duck-typed, so a DataSource from any copy of typeorm is recognised. */
export function isDataSource(value: unknown): value is DataSourceLike {
  const candidate = value as Partial<DataSourceLike> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.initialize === 'function' &&
    typeof candidate.createQueryRunner === 'function' &&
    typeof candidate.isInitialized === 'boolean' &&
    typeof candidate.options?.type === 'string'
  );
}

/**
 * The alias of a DataSource provider, as @nestjs/typeorm names them: the `DataSource` class
 * token is `default`, `"<name>DataSource"` is `<name>`.
 */
export function dataSourceAlias(token: unknown, dataSource: DataSourceLike): string {
  if (typeof token === 'function' && token.name === 'DataSource') return 'default';
  if (typeof token === 'string' && token.endsWith('DataSource') && token !== 'DataSource') {
    return token.slice(0, -'DataSource'.length);
  }
  return dataSource.options.name ?? (typeof token === 'string' ? token : 'default');
}
