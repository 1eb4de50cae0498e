// Per-alias latency of the databases check on MikroORM contexts and Sequelize connections
// (PostgreSQL and MariaDB), in an app of their own beside the sample app (which knows only
// TypeORM), with TypeORM DataSources on the same servers as the yardstick: the sample app's rows
// run beside every other check, these beside the databases check alone. Keyed like
// engines.mjs: `databases:<alias>`.
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { MySqlDriver } from '@mikro-orm/mysql';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SequelizeModule } from '@nestjs/sequelize';
import { TypeOrmModule } from '@nestjs/typeorm';

const mikroOrm = (contextName, driver, clientUrl) =>
  MikroOrmModule.forRoot({
    contextName,
    driver,
    clientUrl,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    registerRequestContext: false,
    ensureDatabase: false,
  });
const sequelize = (name, dialect, port, username) =>
  SequelizeModule.forRoot({ name, dialect, host: '127.0.0.1', port, username, database: 'test', logging: false });

/** `runs` sequential runs of the databases check (every alias concurrent): alias → { ok, times }. */
export async function ormStoreSamples(runs, mediaRoot) {
  const { WatchmanModule, WatchmanRunner } = await import('../dist/index.js');
  class OrmStoresModule {}
  Module({
    imports: [
      mikroOrm('mikro_orm_pg', PostgreSqlDriver, 'postgres://postgres@127.0.0.1:5432/test'),
      mikroOrm('mikro_orm_maria', MySqlDriver, 'mysql://root@127.0.0.1:3306/test'),
      sequelize('sequelize_pg', 'postgres', 5432, 'postgres'),
      sequelize('sequelize_maria', 'mysql', 3306, 'root'),
      TypeOrmModule.forRoot({ name: 'typeorm_pg', type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' }),
      TypeOrmModule.forRoot({ name: 'typeorm_maria', type: 'mariadb', url: 'mysql://root@127.0.0.1:3306/test' }),
      WatchmanModule.forRoot({ checks: ['databases'], mediaRoot }),
    ],
  })(OrmStoresModule);
  const app = await NestFactory.createApplicationContext(OrmStoresModule, { logger: false });
  const runner = app.get(WatchmanRunner);
  const samples = new Map();
  for (let i = 0; i < runs; i++) {
    const report = await runner.run();
    for (const { alias, outcome } of report.checks[0].aliases ?? []) {
      const key = `databases:${alias}`;
      if (!samples.has(key)) samples.set(key, { ok: 0, times: [] });
      samples.get(key).ok += outcome.ok ? 1 : 0;
      samples.get(key).times.push(outcome.durationMs);
    }
  }
  await app.close();
  return samples;
}
