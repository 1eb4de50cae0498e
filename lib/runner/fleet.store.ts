import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { WatchmanCheckRegistry, type WatchmanRegisteredCheck } from '../checks/check.registry.js';
import { errorMessage } from '../common/error-like.js';
import { appName } from '../common/instance-id.js';
import { redactUrl, redactUrls } from '../common/redact.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import type { WatchmanCheckReport } from './check-result.js';
import {
  type FleetRedis,
  type FleetRedisSource,
  isCommandTimeout,
  openFleetRedis,
  redisFailure,
} from './fleet/fleet-redis.connection.js';
import { findAppRedis } from './fleet/fleet-redis.discovery.js';
import { decodeShared, encodeShared } from './fleet/shared-result.js';

/**
 * Where fleet-scoped checks keep their results: in the fleet's Redis, one run per check and
 * interval for every instance sharing it. Each interval (counted from the epoch, so every
 * instance agrees) has a lock, `SET …:lock:<interval>:<n> <instance> NX PX`: the instance that
 * takes it runs the check and stores the result; the others read it (waiting for a run under
 * way at most as long as a run of their own would take). A holder that dies leaves its lock
 * to expire and the next interval's to another instance. When Redis does not answer, each
 * instance runs the check itself (`scope: 'local'`), saying so once in the log.
 */
@Injectable()
export class WatchmanFleetStore implements OnApplicationBootstrap, OnModuleDestroy {
  /** This instance among the fleet (the `instance` option, `hostname-pid` by default): the `by` of its runs. */
  readonly instance: string;
  /** What this fleet's keys are under: `fleet.key`, else the app's name. */
  readonly key: string;
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private connection?: Promise<FleetRedis | undefined>;
  private redis?: FleetRedis;
  private down = false;
  private closed = false;

  constructor(
    private readonly registry: WatchmanCheckRegistry,
    private readonly discovery: DiscoveryService,
    private readonly moduleRef: ModuleRef,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {
    this.key = config.fleet.key ?? appName();
    this.instance = config.instance;
  }

  onApplicationBootstrap(): void {
    if (this.fleetChecks().length > 0) void this.connect();
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.redis?.disconnect();
  }

  /**
   * This interval's run of a fleet-scoped check: the fleet's shared result, or a run of this
   * instance's (`execute`) when it takes the interval's lock or Redis does not answer.
   * Undefined while another instance runs it for the first time.
   */
  async run(
    check: WatchmanRegisteredCheck,
    execute: () => Promise<WatchmanCheckReport>,
  ): Promise<WatchmanCheckReport | undefined> {
    const redis = await this.connect();
    if (!redis) return this.local(await execute());
    const interval = this.registry.intervalOf(check.name);
    const slot = Math.floor(Date.now() / interval);
    const since = slot * interval;
    const base = `watchman:fleet:${this.key}:${check.name}`;
    try {
      const shared = decodeShared(await redis.get(`${base}:result`), check);
      if (shared && measuredSince(shared, since)) return this.answered(shared);
      const won = await redis.set(`${base}:lock:${interval}:${slot}`, this.instance, 'PX', 2 * interval, 'NX');
      if (won !== 'OK') return this.answered((await this.awaitRun(redis, `${base}:result`, check, since)) ?? shared);
    } catch (error) {
      this.failed(redis, error);
      return this.local(await execute());
    }
    const report: WatchmanCheckReport = { ...(await execute()), scope: 'fleet', by: this.instance };
    try {
      // Kept well past the stale limit, so a fleet that stopped running it reads "stale result".
      await redis.set(`${base}:result`, encodeShared(report), 'PX', 10 * (interval + check.timeout));
      return this.answered(report);
    } catch (error) {
      this.failed(redis, error);
      return { ...report, scope: 'local' };
    }
  }

  // Another instance holds this interval's run: its result, polled for no longer than the check's timeout.
  private async awaitRun(
    redis: FleetRedis,
    key: string,
    check: WatchmanRegisteredCheck,
    since: number,
  ): Promise<WatchmanCheckReport | undefined> {
    const until = Date.now() + check.timeout;
    const every = Math.min(250, Math.max(20, Math.round(check.timeout / 20)));
    while (Date.now() < until && !this.closed) {
      await sleep(every);
      const shared = decodeShared(await redis.get(key), check);
      if (shared && measuredSince(shared, since)) return shared;
    }
    return undefined;
  }

  private local(report: WatchmanCheckReport): WatchmanCheckReport {
    return { ...report, scope: 'local', by: this.instance };
  }

  private answered<T>(result: T): T {
    if (this.down) {
      this.down = false;
      this.logger.log('fleet: Redis answers again; fleet-scoped checks are shared again');
    }
    return result;
  }

  private failed(redis: FleetRedis, error: unknown): void {
    // A reply may still come for a command that timed out, and ioredis pairs replies with
    // commands in order: only a new connection keeps the next replies with their commands.
    if (isCommandTimeout(error)) redis.disconnect(true);
    this.unreachable(error);
  }

  private unreachable(error: unknown): void {
    if (this.down || this.closed) return;
    this.down = true;
    this.logger.warn(
      `fleet: Redis does not answer (${redactUrls(redisFailure(error))}); each instance runs the fleet-scoped checks itself (scope: local) until it does`,
    );
  }

  private connect(): Promise<FleetRedis | undefined> {
    this.connection ??= this.open();
    return this.connection;
  }

  private async open(): Promise<FleetRedis | undefined> {
    const checks = this.fleetChecks();
    const names = checks.map((check) => check.name).join(', ');
    const source = this.source();
    if (!source) {
      this.logger.warn(
        `fleet: no Redis for the fleet-scoped checks (${names}): set fleet.redis or WATCHMAN_FLEET_REDIS_URL; each instance runs them itself (scope: local)`,
      );
      return undefined;
    }
    // Half the shortest check timeout, at most 1 s: a Redis gone silent never costs a run more than that.
    const timeout = Math.min(1000, Math.max(50, Math.round(Math.min(...checks.map((c) => c.timeout)) / 2)));
    let redis: FleetRedis;
    try {
      redis = await openFleetRedis(source, timeout);
    } catch (error) {
      this.logger.error(`fleet: ${redactUrls(errorMessage(error))}; each instance runs ${names} itself (scope: local)`);
      return undefined;
    }
    if (this.closed) {
      redis.disconnect();
      return undefined;
    }
    redis.on('error', (error) => this.unreachable(error));
    this.redis = redis;
    this.logger.log(
      `fleet: ${names} run once per interval across fleet "${this.key}" through ${source.described} (this instance: ${this.instance})`,
    );
    await redis.connect().catch(() => undefined); // reconnects by itself; meanwhile checks run locally
    return redis;
  }

  private source(): FleetRedisSource | undefined {
    const given = this.config.fleet.redis;
    if (typeof given === 'string') return { url: given, described: redactUrl(given) };
    if (given) return { client: given, described: 'the ioredis client given as fleet.redis' };
    return findAppRedis(this.discovery, this.moduleRef, this.config.cacheTokens);
  }

  private fleetChecks(): WatchmanRegisteredCheck[] {
    return this.registry.getAll().filter((check) => check.scope === 'fleet');
  }
}

function measuredSince(report: WatchmanCheckReport, since: number): boolean {
  return report.outcome.measuredAt.getTime() >= since;
}
