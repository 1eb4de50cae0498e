// Per-check latency of each engine, measured on the sample app with every service at once
// (PostgreSQL, MariaDB, SQLite file and memory, Redis, memory cache, file storage, SMTP).
// Services that are not up simply show as failing rows.
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { SMTPServer } from 'smtp-server';

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData: (stream, _s, done) => stream.on('end', done).resume(),
});
await new Promise((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const scratch = mkdtempSync(join(tmpdir(), 'watchman-bench-'));
Object.assign(process.env, {
  DATABASE_URL: 'sqlite::memory:',
  DATABASE_URL_SQLITE_FILE: `sqlite:${join(scratch, 'bench.sqlite')}`,
  DATABASE_URL_POSTGRES: 'postgres://postgres@127.0.0.1:5432/test',
  DATABASE_URL_MARIADB: 'mysql://root@127.0.0.1:3306/test',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SMTP_URL: `smtp://127.0.0.1:${smtp.server.address().port}`,
  MEDIA_ROOT: scratch,
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

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
console.log(`\nper-check latency over ${RUNS} runs (all checks concurrent, sequential runs)`);
console.log('check'.padEnd(24), 'ok'.padStart(8), 'median ms'.padStart(10), 'p95 ms'.padStart(8));
for (const [key, { ok, times }] of [...samples.entries()].sort()) {
  times.sort((a, b) => a - b);
  console.log(
    key.padEnd(24),
    `${ok}/${times.length}`.padStart(8),
    pct(times, 50).toFixed(2).padStart(10),
    pct(times, 95).toFixed(2).padStart(8),
  );
}
process.exit(0);
