import { abortable } from '../../common/race.js';
import type { DatabaseKind } from '../databases/database-kind.js';
import { type DataSourceLike, dataSourceAlias, isDataSource } from './data-source.like.js';
import { pingDataSource } from './ping-query.js';
import { assertSqliteFileUsable, sqliteFile } from './sqlite-file.js';
import { pendingInitializations } from './tolerant-data-source.factory.js';

// One initialization per DataSource at a time, whichever registration or run asks for it.
const initializing = new WeakMap<DataSourceLike, Promise<unknown>>();

/**
 * TypeORM DataSources. One that could not connect at start-up (`manualInitialization`, or
 * `tolerantDataSourceFactory()`) is initialized here once the database answers, so it turns
 * ok without a restart.
 */
export const typeOrmKind: DatabaseKind<DataSourceLike> = {
  name: 'typeorm',
  recognises: isDataSource,
  alias: (dataSource, token) => dataSourceAlias(token, dataSource),
  async ping(dataSource, signal) {
    if (!dataSource.isInitialized) await abortable(initialize(dataSource), signal);
    const file = sqliteFile(dataSource);
    if (file) await assertSqliteFileUsable(file);
    await pingDataSource(dataSource, signal);
  },
};

function initialize(dataSource: DataSourceLike): Promise<unknown> {
  let run = initializing.get(dataSource);
  if (!run) {
    // Join an initialization already under way (e.g. from start-up) rather than start a second.
    run = (pendingInitializations.get(dataSource) ?? dataSource.initialize()).finally(() =>
      initializing.delete(dataSource),
    );
    initializing.set(dataSource, run);
  }
  return run;
}
