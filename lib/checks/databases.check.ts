import type { DiscoveryService } from '@nestjs/core';
import type { WatchmanMultiCheckable } from './check.interface.js';
import { DATABASE_KINDS } from './databases/database-kinds.js';
import { type DiscoveredDatabase, discoveredDatabases } from './databases/discovered-databases.js';

/**
 * `databases`: a real round trip on every database client of the app — TypeORM DataSources,
 * MikroORM instances, Sequelize instances (see DATABASE_KINDS) — or the `databases` subset.
 */
/** The `databases` check's own settings. */
export interface DatabasesCheckSettings {
  /** The subset to check (WATCHMAN_DATABASES); all found by default. */
  names?: readonly string[];
}

export class DatabasesCheck implements WatchmanMultiCheckable {
  private found?: Map<string, DiscoveredDatabase>;

  constructor(
    private readonly settings: DatabasesCheckSettings,
    private readonly discovery: DiscoveryService,
  ) {}

  aliases(): string[] {
    return [...(this.settings.names ?? this.databases().keys())];
  }

  async checkAlias(alias: string, signal: AbortSignal): Promise<void> {
    const database = this.databases().get(alias);
    if (!database) throw new Error(`no database named ${JSON.stringify(alias)}`);
    await database.kind.ping(database.instance, signal);
  }

  private databases(): Map<string, DiscoveredDatabase> {
    this.found ??= discoveredDatabases(this.discovery, DATABASE_KINDS);
    return this.found;
  }
}
