import { CacheModule } from '@nestjs/cache-manager';
import { Controller, Get, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WatchmanModule, tolerantDataSourceFactory } from 'nestjs-watchman';
import { bullQueues } from './bullmq-queues.js';
import { dataSourceOptions, databasesFromEnv } from './database-url.js';
import { envUrl } from './env-url.js';
import { EventLoopCheck } from './event-loop.check.js';
import { MetricsController } from './metrics.controller.js';
import { microserviceClients } from './microservice-clients.js';
import { REDIS_CACHE, redisCacheProviders } from './redis-cache.js';
import { ShutdownLogger } from './shutdown.logger.js';
import { ShutdownConnectionMiddleware } from './shutdown.middleware.js';
import { Warmup } from './warmup.js';

@Controller()
class HomeController {
  @Get()
  home(): string {
    return 'nestjs-watchman sample app: see /watchman, /watchman/dashboard, /watchman/ping, /watchman/bare, /watchman/live, /watchman/ready, /metrics';
  }
}

const databases = databasesFromEnv(process.env).map(({ name, url }) =>
  TypeOrmModule.forRootAsync({
    name: name === 'default' ? undefined : name,
    useFactory: () => dataSourceOptions(name, url),
    // The app boots with a database down; watchman reports it and reconnects later.
    dataSourceFactory: tolerantDataSourceFactory({ connectTimeout: 3000 }),
  }),
);

const redisUrl = envUrl('REDIS_URL');

/** The sample app: SQLite (sql.js) + in-memory cache by default, every service from the environment. */
@Module({
  imports: [
    ...databases,
    CacheModule.register({ isGlobal: true }),
    ...microserviceClients(),
    ...bullQueues(),
    WatchmanModule.forRoot({
      cacheTokens: redisUrl ? { redis: REDIS_CACHE } : {},
      // Sending mail is the paid check: on when the sample is given an SMTP server.
      enablePaidChecks: process.env.SMTP_URL && !process.env.WATCHMAN_ENABLE_PAID_CHECKS ? true : undefined,
    }),
  ],
  controllers: [HomeController, MetricsController],
  providers: [EventLoopCheck, ShutdownLogger, Warmup, ...redisCacheProviders(redisUrl)],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ShutdownConnectionMiddleware).forRoutes('*path');
  }
}
