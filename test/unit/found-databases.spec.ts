import type { DiscoveryService } from '@nestjs/core';
import type { DatabaseKind } from '../../lib/checks/databases/database-kind.js';
import { findDatabases } from '../../lib/checks/databases/found-databases.js';
import { typeormKind } from '../../lib/checks/typeorm/typeorm.kind.js';

// How the databases check finds and names databases of every kind: pure logic over the
// providers discovery hands it (instances built here, by shape, as the kinds recognise them).

class DataSource {
  isInitialized = true;
  constructor(readonly options: { type: string; name?: string }) {}
  initialize = async () => this;
  createQueryRunner = () => ({ query: async () => [], release: async () => undefined });
}

/** A second kind, recognised by a marker, named by its token. */
const markedKind: DatabaseKind<{ marked: true }> = {
  label: 'Marked client',
  recognise: (instance): instance is { marked: true } => (instance as { marked?: unknown })?.marked === true,
  alias: (token) => String(token).toLowerCase(),
  ping: async () => undefined,
};

const discovery = (...providers: Array<[unknown, unknown]>) =>
  ({ getProviders: () => providers.map(([token, instance]) => ({ token, instance })) }) as unknown as DiscoveryService;

const aliases = (found: Map<string, { source: string }>) =>
  Object.fromEntries([...found].map(([alias, { source }]) => [alias, source]));

describe('findDatabases', () => {
  const main = new DataSource({ type: 'postgres' });
  const reports = new DataSource({ type: 'postgres', name: 'reports' });

  it('names every database of every kind once, whatever the tokens it is registered under', () => {
    const marked = { marked: true as const };
    const found = findDatabases(
      [typeormKind, markedKind],
      discovery(
        [DataSource, main],
        ['reportsDataSource', reports],
        ['AUDIT', marked],
        ['AUDIT_ALIAS', marked],
        ['x', {}],
      ),
      {},
    );
    expect(aliases(found)).toEqual({
      default: 'TypeORM DataSource provider DataSource',
      reports: 'TypeORM DataSource provider reportsDataSource',
      audit: 'Marked client provider AUDIT',
    });
  });

  it('gives a provider the alias databaseTokens names it by, under any of its tokens', () => {
    const found = findDatabases([typeormKind], discovery([DataSource, main], ['MAIN_ALIAS', main]), {
      tokens: new Map([['primary', 'MAIN_ALIAS']]),
    });
    expect([...found.keys()]).toEqual(['primary']);
  });

  it('stops start-up when two databases go by one alias, naming both and the way out', () => {
    const clash = () =>
      findDatabases(
        [typeormKind, markedKind],
        discovery(['reportsDataSource', reports], ['REPORTS', { marked: true }]),
        {},
      );
    expect(clash).toThrow(
      'nestjs-watchman: two databases go by the alias "reports": TypeORM DataSource provider reportsDataSource and ' +
        'Marked client provider REPORTS; give one another name (databaseTokens: { name: token }, or rename it)',
    );
    const renamed = findDatabases(
      [typeormKind, markedKind],
      discovery(['reportsDataSource', reports], ['REPORTS', { marked: true }]),
      { tokens: new Map([['legacy_reports', 'REPORTS']]) },
    );
    expect([...renamed.keys()]).toEqual(['reports', 'legacy_reports']);
  });

  it('stops start-up when a databaseTokens entry names no database provider', () => {
    expect(() =>
      findDatabases([typeormKind], discovery([DataSource, main], ['CACHE', {}]), { tokens: new Map([['x', 'CACHE']]) }),
    ).toThrow(
      'nestjs-watchman: invalid databaseTokens.x "CACHE": no database provider (TypeORM DataSource) is registered under that token',
    );
  });
});
