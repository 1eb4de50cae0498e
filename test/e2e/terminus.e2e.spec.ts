import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpModule } from '@nestjs/axios';
import { Controller, Get, Injectable } from '@nestjs/common';
import {
  DiskHealthIndicator,
  HealthCheck,
  HealthCheckService,
  HttpHealthIndicator,
  MemoryHealthIndicator,
  TerminusModule,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import {
  WatchmanCheck,
  type WatchmanCheckable,
  WatchmanHealthIndicator,
  WatchmanModule,
  terminusCheck,
} from 'nestjs-watchman';
import { FailingCheck, PassingCheck, ShardsCheck } from '../fixtures/checks.js';
import { ADAPTERS, using, withApp } from '../support/http-app.js';
import { closedPort, hungServer } from '../support/services.js';
import { tempDir } from '../support/temp-dir.js';

// Both ways with a real @nestjs/terminus: watchman inside terminus's HealthCheckService, and
// terminus's own indicators as watchman checks.

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly watchman: WatchmanHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.watchman.isHealthy()]);
  }

  @Get('narrow')
  @HealthCheck()
  narrow() {
    return this.health.check([() => this.watchman.isHealthy('deps', { skip: ['failing'] })]);
  }
}

const targets = { httpOk: '', httpDown: '', httpHung: '' };

@WatchmanCheck('t_disk')
@Injectable()
class DiskCheck implements WatchmanCheckable {
  constructor(private readonly disk: DiskHealthIndicator) {}
  check() {
    return terminusCheck(() => this.disk.checkStorage('disk', { path: '/', thresholdPercent: 0.9999 }));
  }
}

@WatchmanCheck('t_disk_full')
@Injectable()
class DiskFullCheck implements WatchmanCheckable {
  constructor(private readonly disk: DiskHealthIndicator) {}
  check() {
    return terminusCheck(() => this.disk.checkStorage('disk', { path: '/', threshold: 1 }));
  }
}

@WatchmanCheck('t_memory')
@Injectable()
class MemoryCheck implements WatchmanCheckable {
  constructor(private readonly memory: MemoryHealthIndicator) {}
  check() {
    return terminusCheck(() => this.memory.checkHeap('memory_heap', 64 * 1024 ** 3));
  }
}

@WatchmanCheck('t_memory_low')
@Injectable()
class MemoryLowCheck implements WatchmanCheckable {
  constructor(private readonly memory: MemoryHealthIndicator) {}
  check() {
    return terminusCheck(() => this.memory.checkHeap('memory_heap', 1));
  }
}

@WatchmanCheck('t_http', { timeout: 1000 })
@Injectable()
class HttpChecks {
  constructor(private readonly http: HttpHealthIndicator) {}
  aliases() {
    return ['ok', 'down', 'hung'];
  }
  checkAlias(alias: string) {
    const url = { ok: targets.httpOk, down: targets.httpDown, hung: targets.httpHung }[alias] as string;
    return terminusCheck(() => this.http.pingCheck(alias, url, { timeout: 60_000 }));
  }
}

@WatchmanCheck('t_typeorm')
@Injectable()
class TypeOrmCheck implements WatchmanCheckable {
  constructor(private readonly db: TypeOrmHealthIndicator) {}
  check() {
    return terminusCheck(() => this.db.pingCheck('database'));
  }
}

describe.each(ADAPTERS)('terminus interop on %s', (adapter) => {
  it('puts watchman’s checks in a terminus endpoint: 200 ok when they pass, 503 naming the failing one', async () => {
    await withApp(
      {
        imports: [
          TerminusModule,
          WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['passing', 'shards', 'failing'] }),
        ],
        controllers: [HealthController],
        providers: [PassingCheck, ShardsCheck, FailingCheck],
      },
      adapter,
      async (app) => {
        const failing = await request(app.url).get('/health').expect(503);
        expect(failing.body.status).toBe('error');
        expect(Object.keys(failing.body.error)).toEqual(['watchman:failing', 'watchman:shards']);
        expect(failing.body.error['watchman:failing']).toMatchObject({
          status: 'down',
          ok: false,
          error: 'boom <script>window.__pwned = true</script>',
        });
        expect(failing.body.error['watchman:shards']).toMatchObject({
          status: 'down',
          mid: { ok: false, error: 'mid shard is down' },
          alpha: { ok: true, depth: 5 },
        });
        expect(failing.body.info['watchman:passing']).toEqual({ status: 'up', ok: true, answer: 42 });

        const narrow = await request(app.url).get('/health/narrow').expect(503);
        expect(Object.keys(narrow.body.details)).toEqual(['deps:passing', 'deps:shards']);
      },
    );
    await withApp(
      {
        imports: [TerminusModule, WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['passing'] })],
        controllers: [HealthController],
        providers: [PassingCheck],
      },
      adapter,
      async (app) => {
        const res = await request(app.url).get('/health').expect(200);
        expect(res.body).toEqual({
          status: 'ok',
          info: { 'watchman:passing': { status: 'up', ok: true, answer: 42 } },
          error: {},
          details: { 'watchman:passing': { status: 'up', ok: true, answer: 42 } },
        });
      },
    );
  });

  it('runs terminus indicators (disk, memory, http, typeorm) as watchman checks, with their details, failures and watchman’s timeout', async () => {
    const server = createServer((_req, res) => res.end('fine'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // The server closes first, then the hung one, as the finally block did.
    await using(hungServer(), (hung) =>
      using({ close: () => new Promise((resolve) => server.close(resolve)) }, async () => {
        targets.httpOk = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
        targets.httpDown = `http://127.0.0.1:${await closedPort()}/`;
        targets.httpHung = `http://127.0.0.1:${hung.port}/`;
        await withApp(
          {
            imports: [
              TerminusModule,
              HttpModule,
              TypeOrmModule.forRoot({ type: 'sqljs' }),
              WatchmanModule.forRoot({
                mediaRoot: tempDir(),
                checks: ['t_disk', 't_disk_full', 't_memory', 't_memory_low', 't_http', 't_typeorm'],
              }),
            ],
            providers: [DiskCheck, DiskFullCheck, MemoryCheck, MemoryLowCheck, HttpChecks, TypeOrmCheck],
          },
          adapter,
          async (app) => {
            const res = await request(app.url).get('/watchman').expect(500);
            expect(res.body.t_disk).toEqual({ ok: true });
            expect(res.body.t_disk_full).toMatchObject({
              ok: false,
              error: 'disk: Used disk storage exceeded the set threshold',
            });
            expect(res.body.t_memory).toEqual({ ok: true });
            expect(res.body.t_memory_low).toMatchObject({
              ok: false,
              error: 'memory_heap: Used heap exceeded the set threshold',
            });
            expect(res.body.t_http).toEqual([
              {
                down: {
                  ok: false,
                  message: expect.stringMatching(/ECONNREFUSED/),
                  error: expect.stringMatching(/^down: .*ECONNREFUSED/),
                  stacktrace: expect.any(String),
                },
              },
              { hung: { ok: false, error: 'timed out after 1000 ms' } },
              { ok: { ok: true } },
            ]);
            expect(res.body.t_typeorm).toEqual({ ok: true, responseTime: expect.any(Number) });
            const page = await request(app.url).get('/watchman/dashboard').expect(200);
            expect(page.text).toContain('Used disk storage exceeded the set threshold');
          },
        );
      }),
    );
  });
});
