import type { DiscoveryService } from '@nestjs/core';
import { abortable } from '../common/race.js';
import type { WatchmanMultiCheckable } from './check.interface.js';
import { discoveredProviders } from './discovered-providers.js';
import { type DataSourceLike, dataSourceAlias, isDataSource } from './typeorm/data-source.like.js';
import { pingDataSource } from './typeorm/ping-query.js';
import { assertSqliteFileUsable, sqliteFile } from './typeorm/sqlite-file.js';
import { pendingInitializations } from './typeorm/tolerant-data-source.factory.js';

// One initialization per DataSource at a time, whichever registration or run asks for it.
const initializing = new WeakMap<DataSourceLike, Promise<unknown>>();

/**
 * `databases`: a real round trip on every TypeORM DataSource (or the `databases` subset).
 * A DataSource that could not connect at start-up (`manualInitialization`, or
 * `tolerantDataSourceFactory()`) is initialized here once the database answers, so it turns
 * ok without a restart.
 */
/** The `databases` check's own settings. */
export interface DatabasesCheckSettings {
  /** The subset to check (WATCHMAN_DATABASES); all found by default. */
  names?: readonly string[];
}

export class DatabasesCheck implements WatchmanMultiCheckable {
  private found?: Map<string, DataSourceLike>;

  constructor(
    private readonly settings: DatabasesCheckSettings,
    private readonly discovery: DiscoveryService,
  ) {}

  aliases(): string[] {
    return [...(this.settings.names ?? this.dataSources().keys())];
  }

  async checkAlias(alias: string, signal: AbortSignal): Promise<void> {
    const dataSource = this.dataSources().get(alias);
    if (!dataSource) throw new Error(`no TypeORM DataSource named ${JSON.stringify(alias)}`);
    if (!dataSource.isInitialized) await abortable(initialize(dataSource), signal);
    const file = sqliteFile(dataSource);
    if (file) await assertSqliteFileUsable(file);
    await pingDataSource(dataSource, signal);
  }

  private dataSources(): Map<string, DataSourceLike> {
    this.found ??= discoveredProviders(this.discovery, isDataSource, dataSourceAlias);
    return this.found;
  }
}

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
