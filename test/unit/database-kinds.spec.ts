import { MikroORM } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { DiscoveryService } from '@nestjs/core';
import { Sequelize } from 'sequelize';
import { DataSource } from 'typeorm';
import { DATABASE_KINDS } from '../../lib/checks/databases/database-kinds.js';
import { findDatabases } from '../../lib/checks/databases/found-databases.js';

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

const LABELS = { typeorm: 'TypeORM DataSource', 'mikro-orm': 'MikroORM instance', sequelize: 'Sequelize instance' };

describe('database kinds', () => {
  const instances = { typeorm: dataSource(), 'mikro-orm': orm(), sequelize: sequelize() };

  it.each(Object.entries(instances))('a %s instance is recognised by its own kind only', (kind, instance) => {
    expect(DATABASE_KINDS.filter((candidate) => candidate.recognise?.(instance)).map((k) => k.label)).toEqual([
      LABELS[kind as keyof typeof LABELS],
    ]);
  });

  it('recognises none of the other providers a Nest app has (an EntityManager, a model class, a plain object)', () => {
    for (const other of [orm().em, class User {}, { options: { type: 'x' } }, null, 'default'])
      expect(DATABASE_KINDS.some((kind) => kind.recognise?.(other))).toBe(false);
  });

  it('names each as its Nest module does: the default one `default`, the others by contextName / name', () => {
    const providers = [
      { token: MikroORM, instance: instances['mikro-orm'] },
      // @mikro-orm/nestjs also provides the default context under its driver's class: counted once.
      { token: class PostgreSqlMikroORM {}, instance: instances['mikro-orm'] },
      { token: 'reports_MikroORM', instance: orm('reports') },
      { token: 'legacyConnection', instance: sequelize('legacy') },
      { token: 'auditDataSource', instance: dataSource('audit') },
    ];
    const found = findDatabases(DATABASE_KINDS, discovery(providers), {});
    expect([...found].map(([alias, { kind }]) => [alias, kind.label])).toEqual([
      ['default', 'MikroORM instance'],
      ['reports', 'MikroORM instance'],
      ['legacy', 'Sequelize instance'],
      ['audit', 'TypeORM DataSource'],
    ]);
    // Two kinds' default connections claim one alias: start-up stops, naming both.
    expect(() =>
      findDatabases(DATABASE_KINDS, discovery([...providers, { token: Sequelize, instance: sequelize() }]), {}),
    ).toThrow(/two databases go by the alias "default": MikroORM instance provider MikroORM and Sequelize instance/);
  });
});
