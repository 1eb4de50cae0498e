import { MikroORM } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { DiscoveryService } from '@nestjs/core';
import { Sequelize } from 'sequelize';
import { DataSource } from 'typeorm';
import { DATABASE_KINDS } from '../../lib/checks/databases/database-kinds.js';
import { discoveredDatabases } from '../../lib/checks/databases/discovered-databases.js';

// Real (unconnected) instances of each client: every one is recognised by its own kind only,
// and named as its Nest module names it.

const orm = (contextName?: string) =>
  MikroORM.initSync({
    ...(contextName ? { contextName } : {}),
    driver: PostgreSqlDriver,
    clientUrl: 'postgres://postgres@127.0.0.1:1/none',
    entities: [],
    discovery: { warnWhenNoEntities: false },
    connect: false,
  });
const sequelize = (name?: string) =>
  new Sequelize({
    dialect: 'postgres',
    host: '127.0.0.1',
    port: 1,
    logging: false,
    ...(name ? { name } : {}),
  } as never);
const dataSource = (name?: string) => new DataSource({ type: 'postgres', port: 1, ...(name ? { name } : {}) });

const discovery = (providers: Array<{ token: unknown; instance: unknown }>) =>
  ({ getProviders: () => providers }) as unknown as DiscoveryService;

describe('database kinds', () => {
  const instances = { typeorm: dataSource(), 'mikro-orm': orm(), sequelize: sequelize() };

  it.each(Object.entries(instances))('a %s instance is recognised by its own kind only', (kind, instance) => {
    expect(DATABASE_KINDS.filter((candidate) => candidate.recognises(instance)).map((k) => k.name)).toEqual([kind]);
  });

  it('recognises none of the other providers a Nest app has (an EntityManager, a model class, a plain object)', () => {
    for (const other of [orm().em, class User {}, { options: { type: 'x' } }, null, 'default'])
      expect(DATABASE_KINDS.some((kind) => kind.recognises(other))).toBe(false);
  });

  it('names each as its Nest module does: the default one `default`, the others by contextName / name', () => {
    const found = discoveredDatabases(
      discovery([
        { token: MikroORM, instance: instances['mikro-orm'] },
        // @mikro-orm/nestjs also provides the default context under its driver's class: counted once.
        { token: class PostgreSqlMikroORM {}, instance: instances['mikro-orm'] },
        { token: 'reports_MikroORM', instance: orm('reports') },
        { token: Sequelize, instance: sequelize() },
        { token: 'legacyConnection', instance: sequelize('legacy') },
        { token: 'auditDataSource', instance: dataSource('audit') },
      ]),
      DATABASE_KINDS,
    );
    expect([...found].map(([alias, { kind }]) => [alias, kind.name])).toEqual([
      ['default', 'mikro-orm'],
      ['reports', 'mikro-orm'],
      ['default_sequelize', 'sequelize'],
      ['legacy', 'sequelize'],
      ['audit', 'typeorm'],
    ]);
  });
});
