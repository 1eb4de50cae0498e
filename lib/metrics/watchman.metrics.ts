import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { WatchmanCheckRegistry } from '../checks/check.registry.js';
import type { WatchmanResponse } from '../formats/watchman-response.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { type WatchmanCheckReport, outcomeStatus } from '../runner/check-result.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import { type PromClientLike, type WatchmanPromMetrics, createPromMetrics, loadPromClient } from './prom-metrics.js';

/**
 * Prometheus metrics of the checks, with prom-client (an optional peer): `watchman_up`,
 * `watchman_check_up{check,alias}`, `watchman_check_duration_seconds{check,alias}` and
 * `watchman_check_runs_total{check,alias,result}`. Updated by every run of a check, whoever
 * asked for it; registered in prom-client's default registry too, so an app's own metrics
 * endpoint shows them.
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
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.metrics = await this.load();
    if (!this.metrics) return;
    this.subscription = this.runner.results$.subscribe((report) => this.record(report));
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
      body: await metrics.registry.metrics(),
    };
  }

  private load(): Promise<WatchmanPromMetrics | undefined> {
    this.loading ??= loadPromClient().then((client: PromClientLike | undefined) => {
      if (!client) {
        this.logger.debug('prom-client is not installed: the metrics route answers 501');
        return undefined;
      }
      return createPromMetrics(client, () => this.overallUp());
    });
    return this.loading;
  }

  private record(report: WatchmanCheckReport): void {
    const metrics = this.metrics;
    if (!metrics) return;
    const entries = report.aliases?.map(({ alias, outcome }) => ({ alias, outcome })) ?? [
      { alias: '', outcome: report.outcome },
    ];
    for (const { alias, outcome } of entries) {
      const labels = { check: report.name, alias };
      metrics.checkUp.set(labels, outcome.ok ? 1 : 0);
      metrics.duration.set(labels, outcome.durationMs / 1000);
      metrics.runs.inc({ ...labels, result: outcome.ok ? 'ok' : 'failed' });
    }
  }

  // 1 unless a critical configured check's latest run failed.
  private overallUp(): number {
    for (const name of this.registry.configuredChecks()) {
      const last = this.runner.lastReport(name);
      if (last && outcomeStatus(last.outcome, last.critical) === 'fail') return 0;
    }
    return 1;
  }
}
