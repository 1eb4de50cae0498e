import request from 'supertest';
import { ADAPTERS, startHttpApp, using } from '../support/http-app.js';
import { closedPort } from '../support/services.js';
import { describeWithServices } from '../support/requirements.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { tempDir } from '../support/temp-dir.js';
import { ROOT, runNode } from '../support/spawn-node.js';
import { join } from 'node:path';

// The sample app reads its environment when its module is imported: set it first.
const sink = await startSmtpSink();
const deadPort = await closedPort();
Object.assign(process.env, {
  DATABASE_URL: 'sqlite::memory:',
  DATABASE_URL_PG: 'postgres://postgres@127.0.0.1:5432/test',
  DATABASE_URL_MARIA: 'mysql://root@127.0.0.1:3306/test',
  DATABASE_URL_FILEDB: `sqlite:${tempDir()}/sample.sqlite`,
  REDIS_URL: 'redis://127.0.0.1:6379',
  NATS_URL: 'nats://127.0.0.1:4222',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  MQTT_URL: 'mqtt://127.0.0.1:1883',
  // Redis database 6: nothing else uses the sample's `mail` queue there.
  BULLMQ_URL: 'redis://127.0.0.1:6379/6',
  SMTP_URL: sink.url,
  MEDIA_ROOT: tempDir(),
});
const { AppModule } = await import('../../sample-app/src/app.module.js');
const describeServices = await describeWithServices({ PostgreSQL: 5432, MariaDB: 3306, Redis: 6379 });

afterAll(() => sink.close());

describeServices('sample app with PostgreSQL, MariaDB, Redis, BullMQ, NATS, RabbitMQ, MQTT and SMTP', () => {
  it.each(ADAPTERS)('reports every service ok on %s', async (adapter) => {
    await using(startHttpApp({ imports: [AppModule] }, adapter), async (app) => {
      const res = await request(app.url).get('/watchman/').expect(200);
      expect(res.body).toEqual({
        caches: [{ default: { ok: true } }, { redis: { ok: true } }],
        databases: [{ default: { ok: true } }, { filedb: { ok: true } }, { maria: { ok: true } }, { pg: { ok: true } }],
        email: { ok: true },
        // Its own custom check is non-critical: whatever the machine's load makes of it, the status is 200.
        event_loop: expect.objectContaining({ ok: expect.any(Boolean) }),
        microservices: [
          { mqtt: expect.objectContaining({ ok: true, transport: 'mqtt' }) },
          { nats: expect.objectContaining({ ok: true, transport: 'nats' }) },
          { rabbitmq: expect.objectContaining({ ok: true, transport: 'rmq' }) },
          { redis: expect.objectContaining({ ok: true, transport: 'redis' }) },
        ],
        queues: [{ mail: { ok: true, waiting: 0, active: 0, failed: 0, delayed: 0 } }],
        storage: { ok: true },
      });
      if (!res.body.event_loop.ok) expect(res.body.event_loop.critical).toBe(false);
      expect(sink.received.at(-1)?.headers.get('x-watchman')).toBe('true');
      await request(app.url).get('/watchman/ping').expect(200, 'pong');
      await request(app.url).get('/watchman/bare').expect(200);
      await request(app.url).get('/watchman/dashboard').expect(200);
      await request(app.url).get('/watchman/ready').expect(200, 'ok');
      const metrics = await request(app.url).get('/metrics').expect(200);
      expect(metrics.text).toContain('process_cpu_user_seconds_total');
      expect(metrics.text).toMatch(/watchman_check_up\{check="microservices",alias="nats",critical="true"\} 1/);
      expect(metrics.text).toMatch(/watchman_check_up\{check="queues",alias="mail",critical="true"\} 1/);
    });
  });
});

describe('sample app database URLs', () => {
  it('parses every engine and rejects an unknown scheme', async () => {
    const { dataSourceOptions, databasesFromEnv } = await import('../../sample-app/src/database-url.js');
    expect(dataSourceOptions('default', 'postgres://u@h/db')).toMatchObject({
      type: 'postgres',
      url: 'postgres://u@h/db',
    });
    expect(dataSourceOptions('m', 'mysql://root@h/db')).toMatchObject({ type: 'mysql' });
    expect(dataSourceOptions('m', 'mariadb://root@h/db')).toMatchObject({ type: 'mariadb', url: 'mysql://root@h/db' });
    expect(dataSourceOptions('s', 'sqlite::memory:')).toMatchObject({ type: 'sqljs' });
    expect(dataSourceOptions('s', 'sqlite:/tmp/x.db')).toMatchObject({ type: 'sqljs', location: '/tmp/x.db' });
    expect(() => dataSourceOptions('x', 'mongodb://user:secret@h/db')).toThrow(
      /unsupported database URL for x: mongodb:\/\/\*\*\*@h\/db/,
    );
    expect(databasesFromEnv({ DATABASE_URL_REPLICA_1: 'sqlite::memory:' })).toEqual([
      { name: 'default', url: 'sqlite::memory:' },
      { name: 'replica_1', url: 'sqlite::memory:' },
    ]);
  });

  it('boots with a database that is down and reports it', async () => {
    const { dataSourceOptions } = await import('../../sample-app/src/database-url.js');
    const { TypeOrmModule } = await import('@nestjs/typeorm');
    const { WatchmanModule, tolerantDataSourceFactory } = await import('nestjs-watchman');
    const app = startHttpApp(
      {
        imports: [
          TypeOrmModule.forRootAsync({
            name: 'down',
            useFactory: () => dataSourceOptions('down', `postgres://postgres@127.0.0.1:${deadPort}/test`),
            dataSourceFactory: tolerantDataSourceFactory({ connectTimeout: 1000 }),
          }),
          WatchmanModule.forRoot({ checks: ['databases'] }),
        ],
      },
      'express',
    );
    await using(app, async ({ url }) => {
      const res = await request(url).get('/watchman').expect(500);
      expect(res.body.databases[0].down).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
    });
  });
});

describe('sample app start-up with bad URLs', () => {
  it.each([
    [
      'REDIS_URL',
      'redis://:s3cr3t-pass@bad host:6379',
      /REDIS_URL is not a valid URL: redis:\/\/:\*\*\*@bad host:6379/,
    ],
    ['NATS_URL', 'nats://user:s3cr3t-pass@[nope', /NATS_URL is not a valid URL: nats:\/\/user:\*\*\*@\[nope/],
    [
      'DATABASE_URL',
      'mongodb://user:s3cr3t-pass@h/db',
      /unsupported database URL for default: mongodb:\/\/\*\*\*@h\/db/,
    ],
  ])('stops with a message naming %s, never printing its password', async (name, value, message) => {
    const run = await runNode([join(ROOT, 'sample-app/dist/main.js')], { PORT: '0', [name]: value });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stdout + run.stderr).not.toContain('s3cr3t-pass');
  });
});
