// The other side of the benchmark, in its own process: a minimal Nest app with a bare route
// (`GET /bare`, nothing but Nest) and @nestjs/terminus 12's `/health` doing the same work as
// bench/server.mjs's watchman — ten checks of 50 ms each — tuned as its docs say: every
// indicator cached with `.cacheFor(1000)`, as watchman's side runs with `cacheTtl: 1000`.
import 'reflect-metadata';
import { Controller, Get, Header, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';

const sleep = () => new Promise((resolve) => setTimeout(resolve, 50));

class TerminusController {
  constructor(health, indicators) {
    this.health = health;
    this.indicators = indicators;
  }
  bare() {
    return 'pong';
  }
  check() {
    return this.health.check(
      Array.from({ length: 10 }, (_, i) => () => this.indicators.check(`sleep_${i}`).attempt(sleep).cacheFor(1000)),
    );
  }
}
Reflect.defineMetadata('design:paramtypes', [HealthCheckService, HealthIndicatorService], TerminusController);
const method = (name) => Object.getOwnPropertyDescriptor(TerminusController.prototype, name);
Controller()(TerminusController);
Get('bare')(TerminusController.prototype, 'bare', method('bare'));
Header('Content-Type', 'text/plain; charset=utf-8')(TerminusController.prototype, 'bare', method('bare'));
Get('health')(TerminusController.prototype, 'check', method('check'));
HealthCheck()(TerminusController.prototype, 'check', method('check'));

class TerminusBenchModule {}
Module({ imports: [TerminusModule.forRoot({ logger: false })], controllers: [TerminusController] })(
  TerminusBenchModule,
);

const adapter = process.argv[2] === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
const app = await NestFactory.create(TerminusBenchModule, adapter, { logger: false });
await app.listen(0, '127.0.0.1');
process.send?.({ port: app.getHttpServer().address().port });
process.on('message', async (message) => {
  if (message === 'stop') {
    await app.close();
    process.exit(0);
  }
});
