import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { WatchmanCheckRegistry } from '../checks/check.registry.js';
import { WatchmanAvailability } from '../lifecycle/watchman.availability.js';
import type { WatchmanResponse } from '../formats/watchman-response.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import type { WatchmanCheckReport } from '../runner/check-result.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import { overallUp, seriesOf } from './metric-series.js';
import {
  type PromClientLike,
  type WatchmanPromMetrics,
  createPromMetrics,
  loadPromClient,
  roundedSeconds,
} from './prom-metrics.js';

/**
 * Prometheus metrics of the checks, with prom-client (an optional peer): `watchman_up`,
 * `watchman_check_up{check,alias,critical}`, `watchman_check_duration_seconds{check,alias}`
 * and `watchman_check_runs_total{check,alias,critical,result}`. Updated by every run of a
 * check, whoever asked for it; registered in prom-client's default registry too, where a
 * scrape first runs the checks (shared and cached), so an app's own metrics endpoint is
 * never staler than watchman's.
 */
@Injectable()
export class WatchmanMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private loading?: Promise<WatchmanPromMetrics | undefined>;
  private metrics?: WatchmanPromMetrics;
  private subscription?: Subscription;

  constructor(
    private readonly runner: WatchmanRunner,
    private readonly registry: WatchmanCheckRegistry,
    private readonly availability: WatchmanAvailability,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.metrics = await this.load();
    if (!this.metrics) return;
    this.subscription = this.runner.results$.subscribe((report) => this.record(report));
    // The app's own word on its availability, apart from the checks (a deliberate markNotReady
    // for maintenance must not page as a failing check would).
    this.recordAvailability();
    this.subscription.add(this.availability.changes$.subscribe(() => this.recordAvailability()));
  }

  private recordAvailability(): void {
    const { ready, live } = this.availability.state;
    this.metrics?.available.set({ probe: 'ready' }, ready ? 1 : 0);
    this.metrics?.available.set({ probe: 'live' }, live ? 1 : 0);
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.metrics?.release();
  }

  /** Whether prom-client is installed. */
  async available(): Promise<boolean> {
    return (await this.load()) !== undefined;
  }

  /** The text exposition of watchman's metrics (`watchman_up` is worked out as it is scraped). */
  async render(): Promise<WatchmanResponse> {
    const metrics = await this.load();
    if (!metrics) throw new Error('prom-client is not installed');
    return {
      status: 200,
      headers: { 'Content-Type': metrics.registry.contentType },
      body: await metrics.render(),
    };
  }

  /**
   * @internal The text exposition after the checks ran as for a scrape of the app's registry
   * (shared, cached or from the refresh; never a paid check): what the Pushgateway is sent.
   * Undefined without prom-client.
   */
  async scrape(): Promise<string | undefined> {
    const metrics = await this.load();
    if (!metrics) return undefined;
    await this.collect();
    return metrics.render();
  }

  private load(): Promise<WatchmanPromMetrics | undefined> {
    this.loading ??= loadPromClient().then((client: PromClientLike | undefined) => {
      if (!client) {
        this.logger.debug('prom-client is not installed: the metrics route answers 501');
        return undefined;
      }
      return createPromMetrics(client, {
        up: () => overallUp(this.registry, this.runner),
        collect: () => this.collect(),
      });
    });
    return this.loading;
  }

  private record(report: WatchmanCheckReport): void {
    const metrics = this.metrics;
    if (!metrics) return;
    for (const series of seriesOf(report)) {
      const labels = { check: series.check, alias: series.alias };
      // `critical` lets an alert page only on what takes the app down.
      const critical = { ...labels, critical: String(series.critical) };
      metrics.checkUp.set(critical, series.ok ? 1 : 0);
      metrics.duration.set(labels, roundedSeconds(series.durationMs));
      metrics.runs.inc({ ...critical, result: series.ok ? 'ok' : 'failed' });
    }
  }

  // A scrape of the app's registry runs the checks like an anonymous request on the open
  // routes: shared, at most once per `openRouteTtl`, never a paid check.
  private async collect(): Promise<void> {
    const names = this.unpaidChecks();
    if (names.length === 0) return;
    try {
      await this.runner.runNames(names, { maxAge: this.config.openRouteTtl });
    } catch (error) {
      this.logger.warn(`metrics: the checks could not run for a scrape: ${(error as Error).message}`);
    }
  }

  private unpaidChecks(): string[] {
    return this.registry.configuredChecks().filter((name) => !this.registry.get(name)?.paid);
  }
}
