import type { DiscoveryService } from '@nestjs/core';
import { discoveredProviders } from '../discovered-providers.js';
import type { DatabaseKind } from './database-kind.js';

/** A database client found among the app's providers, with the kind that knows how to ping it. */
export interface DiscoveredDatabase {
  kind: DatabaseKind;
  instance: unknown;
}

/**
 * Every provider instance some kind recognises (the first kind that does), by its alias. Two
 * clients of different kinds may claim one name (a TypeORM `default` beside a MikroORM
 * `default`): the later one is listed as `<alias>_<kind>`, so neither is hidden.
 */
export function discoveredDatabases(
  discovery: DiscoveryService,
  kinds: readonly DatabaseKind[],
): Map<string, DiscoveredDatabase> {
  const kindOf = new Map<unknown, DatabaseKind>();
  const accepts = (instance: unknown): instance is object => {
    if (typeof instance !== 'object' || instance === null) return false;
    const kind = kindOf.get(instance) ?? kinds.find((candidate) => candidate.recognises(instance));
    if (kind) kindOf.set(instance, kind);
    return kind !== undefined;
  };
  const taken = new Set<string>();
  const aliasOf = (token: unknown, instance: object) => {
    const kind = kindOf.get(instance) as DatabaseKind;
    let alias = kind.alias(instance, token);
    if (taken.has(alias)) alias = `${alias}_${kind.name ?? 'database'}`;
    taken.add(alias);
    return alias;
  };
  const found = discoveredProviders(discovery, accepts, aliasOf);
  return new Map(
    [...found].map(([alias, instance]) => [alias, { kind: kindOf.get(instance) as DatabaseKind, instance }]),
  );
}
