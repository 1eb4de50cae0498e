// The new stores of the databases check on their own (the sample app has none of them): Prisma
// (pg and mariadb adapters) and Drizzle (node-postgres, mysql2, sql.js), each under its alias.
// Prisma's clients are the ones the tests generate, compiled to JavaScript here.
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaPg } from '@prisma/adapter-pg';
import { drizzle as mysqlDrizzle } from 'drizzle-orm/mysql2';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { drizzle as sqlJsDrizzle } from 'drizzle-orm/sql-js';
import mysql from 'mysql2/promise';
import pg from 'pg';
import initSqlJs from 'sql.js';
import { generatePrismaClients } from '../test/global-setup.mjs';

const ROOT = join(import.meta.dirname, '..');

/** The generated client of a flavour, as JavaScript. */
async function prismaClient(flavour) {
  const generated = join(ROOT, 'test/fixtures/prisma/generated');
  if (!existsSync(join(generated, `${flavour}-js/client.js`))) {
    generatePrismaClients(ROOT);
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const options = ['--ignoreConfig', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];
    const out = ['--outDir', join(generated, `${flavour}-js`), '--skipLibCheck'];
    execFileSync(process.execPath, [tsc, ...options, ...out, join(generated, flavour, 'client.ts')]);
  }
  return (await import(join(generated, `${flavour}-js/client.js`))).PrismaClient;
}

/** Per-alias latency of the databases check over `runs` sequential runs: alias → durations. */
export async function benchStores(runs) {
  const { WatchmanModule, WatchmanRunner } = await import('../dist/index.js');
  const [PgClient, MariaClient, SQL] = await Promise.all([prismaClient('pg'), prismaClient('mariadb'), initSqlJs()]);
  const prisma = {
    prisma_pg: new PgClient({ adapter: new PrismaPg({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' }) }),
    prisma_mariadb: new MariaClient({
      adapter: new PrismaMariaDb({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' }),
    }),
  };
  const pgPool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  const mariaPool = mysql.createPool({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' });
  const sqlite = new SQL.Database();
  const drizzle = {
    drizzle_pg: pgDrizzle(pgPool),
    drizzle_mariadb: mysqlDrizzle(mariaPool),
    drizzle_sqlite: sqlJsDrizzle(sqlite),
  };
  class StoresBench {}
  Module({
    imports: [WatchmanModule.forRoot({ checks: ['databases'], drizzle })],
    // String tokens: the alias is the token in lower case.
    providers: Object.entries(prisma).map(([token, client]) => ({ provide: token, useValue: client })),
  })(StoresBench);
  const app = await NestFactory.createApplicationContext(StoresBench, { logger: false });
  const runner = app.get(WatchmanRunner);
  const samples = new Map();
  for (let i = 0; i < runs; i++) {
    const [check] = (await runner.run()).checks;
    for (const { alias, outcome } of check.aliases ?? []) {
      if (!samples.has(`databases:${alias}`)) samples.set(`databases:${alias}`, { ok: 0, times: [] });
      const row = samples.get(`databases:${alias}`);
      row.ok += outcome.ok ? 1 : 0;
      row.times.push(outcome.durationMs);
    }
  }
  await app.close();
  await Promise.all([...Object.values(prisma).map((client) => client.$disconnect()), pgPool.end(), mariaPool.end()]);
  sqlite.close();
  return samples;
}
