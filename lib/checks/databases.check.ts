import type { DiscoveryService } from '@nestjs/core';
import type { WatchmanMultiCheckable } from './check.interface.js';
import type { DatabasesCheckSettings } from './databases/database-kind.js';
import { DATABASE_KINDS } from './databases/database-kinds.js';
import { type FoundDatabase, findDatabases } from './databases/found-databases.js';

export type { DatabasesCheckSettings } from './databases/database-kind.js';

/**
 * `databases`: a real round trip on every database of the app (or the `databases` subset),
 * whatever its kind — TypeORM DataSources, PrismaClient providers, the Drizzle databases of the
 * options — each under its own alias.
 */
export class DatabasesCheck implements WatchmanMultiCheckable {
  private readonly found: Map<string, FoundDatabase>;

  /** Finds the databases at once, so a clash of aliases stops start-up. */
  constructor(
    private readonly settings: DatabasesCheckSettings,
    discovery: DiscoveryService,
  ) {
    this.found = findDatabases(DATABASE_KINDS, discovery, settings);
  }

  aliases(): string[] {
    return [...(this.settings.names ?? this.found.keys())];
  }

  async checkAlias(alias: string, signal: AbortSignal): Promise<void> {
    const database = this.found.get(alias);
    if (!database) throw new Error(`no database named ${JSON.stringify(alias)}`);
    await database.kind.ping(database.instance, signal);
  }
}
