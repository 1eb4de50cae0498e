// Per-check latency of each engine, measured on the sample app with every service at once
// (PostgreSQL, MariaDB, SQLite file and memory, Redis, memory cache, file storage, SMTP, the
// Redis, NATS, RabbitMQ and MQTT brokers, a BullMQ queue, an HTTP dependency, disk, memory and
// a TLS server). Services that are not up simply show as failing rows. Prisma and Drizzle
// (stores.mjs), MikroORM and Sequelize (orm-stores.mjs) run in apps of their own.
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { SMTPServer } from 'smtp-server';
import { ormStoreSamples } from './orm-stores.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData: (stream, _s, done) => stream.on('end', done).resume(),
});
await new Promise((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const scratch = mkdtempSync(join(tmpdir(), 'watchman-bench-'));
const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const httpPort = await listen(createServer((_req, res) => res.end('ok')));
// A certificate made here with openssl (self-signed, trusted through the check's `ca`).
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'k.pem',
    '-out',
    'c.pem',
    '-days',
    '90',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost',
  ],
  { cwd: scratch, stdio: 'ignore' },
);
const pem = { key: readFileSync(join(scratch, 'k.pem'), 'utf8'), cert: readFileSync(join(scratch, 'c.pem'), 'utf8') };
const tlsPort = await listen(createHttpsServer(pem, (_req, res) => res.end('ok')));
Object.assign(process.env, {
  DATABASE_URL: 'sqlite::memory:',
  DATABASE_URL_SQLITE_FILE: `sqlite:${join(scratch, 'bench.sqlite')}`,
  DATABASE_URL_POSTGRES: 'postgres://postgres@127.0.0.1:5432/test',
  DATABASE_URL_MARIADB: 'mysql://root@127.0.0.1:3306/test',
  REDIS_URL: 'redis://127.0.0.1:6379',
  NATS_URL: 'nats://127.0.0.1:4222',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  MQTT_URL: 'mqtt://127.0.0.1:1883',
  BULLMQ_URL: 'redis://127.0.0.1:6379/6',
  SMTP_URL: `smtp://127.0.0.1:${smtp.server.address().port}`,
  MEDIA_ROOT: scratch,
  WATCHMAN_HTTP_CHECKS: JSON.stringify({ local: `http://127.0.0.1:${httpPort}/` }),
  WATCHMAN_DISK_PATH: scratch,
  WATCHMAN_DISK_MIN_FREE: '1%',
  WATCHMAN_MEMORY_MAX_RSS: '95%',
  WATCHMAN_TLS_CHECKS: JSON.stringify({ local: { host: 'localhost', port: tlsPort, ca: pem.cert } }),
});
const { AppModule } = await import('../sample-app/dist/app.module.js');
const { WatchmanRunner } = await import('../dist/index.js');
const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
const runner = app.get(WatchmanRunner);

const samples = new Map();
for (let i = 0; i < RUNS; i++) {
  const report = await runner.run();
  for (const check of report.checks) {
    for (const { alias, outcome } of check.aliases ?? [{ alias: '', outcome: check.outcome }]) {
      const key = alias ? `${check.name}:${alias}` : check.name;
      if (!samples.has(key)) samples.set(key, { ok: 0, times: [] });
      const row = samples.get(key);
      row.ok += outcome.ok ? 1 : 0;
      row.times.push(outcome.durationMs);
    }
  }
}
await app.close();
smtp.close();
// Prisma and Drizzle, which the sample app does not use, in an app of their own.
const { benchStores } = await import('./stores.mjs');
const stores = await benchStores(RUNS);

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const table = (title, rows) => {
  console.log(`\n${title}`);
  console.log('check'.padEnd(26), 'ok'.padStart(8), 'median ms'.padStart(10), 'p95 ms'.padStart(8));
  for (const [key, { ok, times }] of [...rows.entries()].sort()) {
    times.sort((a, b) => a - b);
    console.log(
      key.padEnd(26),
      `${ok}/${times.length}`.padStart(8),
      pct(times, 50).toFixed(2).padStart(10),
      pct(times, 95).toFixed(2).padStart(8),
    );
  }
};
table(`per-check latency over ${RUNS} runs (all checks concurrent, sequential runs)`, samples);
table(`Prisma and Drizzle over ${RUNS} runs (the databases check alone, its aliases concurrent)`, stores);
table(
  `MikroORM and Sequelize beside TypeORM over ${RUNS} runs (an app of their own)`,
  await ormStoreSamples(RUNS, scratch),
);
process.exit(0);
