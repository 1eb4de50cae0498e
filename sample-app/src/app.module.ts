import { CacheModule } from '@nestjs/cache-manager';
import { Controller, Get, Inject, Injectable, Module, type OnModuleDestroy, Optional } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { TypeOrmModule } from '@nestjs/typeorm';
import KeyvRedis from '@keyv/redis';
import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import { WatchmanModule, tolerantDataSourceFactory } from 'nestjs-watchman';
import { dataSourceOptions, databasesFromEnv } from './database-url.js';
import { EventLoopCheck } from './event-loop.check.js';

const REDIS_CACHE = 'REDIS_CACHE';

@Controller()
class HomeController {
  @Get()
  home(): string {
    return 'nestjs-watchman sample app: see /watchman, /watchman/dashboard, /watchman/ping, /watchman/bare';
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

/** Closes the Redis connection with the app (Nest only closes what its own modules opened). */
@Injectable()
class RedisCacheCloser implements OnModuleDestroy {
  constructor(@Optional() @Inject(REDIS_CACHE) private readonly cache?: Cache) {}
  async onModuleDestroy(): Promise<void> {
    await this.cache?.disconnect().catch(() => undefined);
  }
}

const redisUrl = process.env.REDIS_URL;
const redisCache = redisUrl
  ? [{ provide: REDIS_CACHE, useFactory: () => createCache({ stores: [new Keyv({ store: new KeyvRedis(redisUrl, { throwOnConnectError: false }) })] }) }]
  : [];

/** The sample app: SQLite (sql.js) + in-memory cache by default, every service from the environment. */
@Module({
  imports: [
    ...databases,
    CacheModule.register({ isGlobal: true }),
    WatchmanModule.forRoot({
      cacheTokens: redisUrl ? { redis: REDIS_CACHE } : {},
      // Sending mail is the paid check: on when the sample is given an SMTP server.
      enablePaidChecks: process.env.SMTP_URL && !process.env.WATCHMAN_ENABLE_PAID_CHECKS ? true : undefined,
    }),
  ],
  controllers: [HomeController],
  providers: [EventLoopCheck, ...redisCache, RedisCacheCloser],
})
export class AppModule {}
