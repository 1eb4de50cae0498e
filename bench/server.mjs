// The benchmark's app, in its own process so the load generator does not share its core:
// ten checks that each take 50 ms, a bare Nest route beside watchman's ping, and /stats.
// argv: the adapter (express | fastify), then how results are kept: none (each request runs
// or joins a run), `cache` (cacheTtl 1000 ms) or `refresh` (refreshInterval 1000 ms).
import 'reflect-metadata';
import { Controller, Get, Header, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { WatchmanCheck, WatchmanModule } from '../dist/index.js';

const executions = {};
const checks = Array.from({ length: 10 }, (_, i) => {
  const name = `sleep_${i}`;
  executions[name] = 0;
  class SleepCheck {
    async check() {
      executions[name] += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  WatchmanCheck(name)(SleepCheck);
  Injectable()(SleepCheck);
  return SleepCheck;
});

class BenchController {
  pong() {
    return 'pong';
  }
  stats() {
    return executions;
  }
}
const method = (name) => Object.getOwnPropertyDescriptor(BenchController.prototype, name);
Controller()(BenchController);
Get('plain')(BenchController.prototype, 'pong', method('pong'));
Header('Content-Type', 'text/plain; charset=utf-8')(BenchController.prototype, 'pong', method('pong'));
Get('stats')(BenchController.prototype, 'stats', method('stats'));

class BenchModule {}
Module({
  imports: [
    WatchmanModule.forRoot({
      checks: checks.map((_, i) => `sleep_${i}`),
      historySize: 20,
      ...(process.argv[3] === 'cache' ? { cacheTtl: 1000 } : {}),
      ...(process.argv[3] === 'refresh' ? { refreshInterval: 1000 } : {}),
    }),
  ],
  controllers: [BenchController],
  providers: checks,
})(BenchModule);

const adapter = process.argv[2] === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
const app = await NestFactory.create(BenchModule, adapter, { logger: false });
await app.listen(0, '127.0.0.1');
process.send?.({ port: app.getHttpServer().address().port });
process.on('message', async (message) => {
  if (message === 'stop') {
    await app.close();
    process.exit(0);
  }
});
