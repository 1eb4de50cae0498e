import type { DiscoveryService } from '@nestjs/core';
import { WatchmanConfigError } from '../../options/config-error.js';
import { providerInstances } from '../discovered-providers.js';
import type { DatabaseKind, DatabasesCheckSettings } from './database-kind.js';
import { tokenName } from './token-name.js';

/** A database of the app, by the alias it goes by in the `databases` list. */
export interface FoundDatabase {
  alias: string;
  kind: DatabaseKind;
  instance: unknown;
  /** Where it came from, for messages: `PrismaClient provider ReportingClient`. */
  source: string;
}

/**
 * Every database of every kind — recognised among the app's providers, or named in the options
 * — by alias. Aliases share one namespace: two databases going by the same alias stop start-up
 * with a message naming both (one would hide the other), as does a `databaseTokens` entry whose
 * token is no database provider.
 */
export function findDatabases(
  kinds: readonly DatabaseKind[],
  discovery: DiscoveryService,
  settings: DatabasesCheckSettings,
): Map<string, FoundDatabase> {
  const found = new Map<string, FoundDatabase>();
  const named = new Map([...(settings.tokens ?? [])].map(([alias, token]) => [token as unknown, alias]));
  const claim = (database: FoundDatabase) => {
    const other = found.get(database.alias);
    if (other) {
      throw new Error(
        `nestjs-watchman: two databases go by the alias ${JSON.stringify(database.alias)}: ${other.source} and ` +
          `${database.source}; give one another name (databaseTokens: { name: token }, or rename it)`,
      );
    }
    found.set(database.alias, database);
  };
  const used = new Set<unknown>();
  for (const [instance, tokens] of providerInstances(discovery)) {
    const kind = kinds.find((candidate) => candidate.recognise?.(instance));
    if (!kind) continue;
    const token = tokens.find((candidate) => named.has(candidate));
    if (token !== undefined) used.add(token);
    const alias = token !== undefined ? named.get(token)! : (kind.alias?.(tokens[0], instance) ?? tokenName(tokens[0]));
    claim({ alias, kind, instance, source: `${kind.label} provider ${tokenName(tokens[0])}` });
  }
  for (const kind of kinds) {
    for (const [alias, instance] of kind.configured?.(settings) ?? [])
      claim({ alias, kind, instance, source: `${kind.label} ${JSON.stringify(alias)} of the options` });
  }
  for (const [alias, token] of settings.tokens ?? []) {
    if (!used.has(token)) {
      const labels = kinds.filter((kind) => kind.recognise).map((kind) => kind.label);
      throw new WatchmanConfigError(
        `databaseTokens.${alias}`,
        tokenName(token),
        `no database provider (${labels.join(', ')}) is registered under that token`,
      );
    }
  }
  return found;
}
