import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Attributes, Counter, Gauge, ObservableGauge, ObservableResult } from '@opentelemetry/api';
import type { Subscription } from 'rxjs';
import { WatchmanCheckRegistry } from '../checks/check.registry.js';
import { overallUp, seriesOf } from '../metrics/metric-series.js';
import { roundedSeconds } from '../metrics/prom-metrics.js';
import type { WatchmanCheckReport } from '../runner/check-result.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { WATCHMAN_VERSION } from '../watchman.constants.js';
import { loadOtelApi } from './otel-api.js';

/** The meter watchman's instruments belong to. */
export const OTEL_METER_NAME = 'nestjs-watchman';

// Every registration's overall state: `watchman.up` is the worst of them, whichever's callback runs.
const upSources = new Set<() => number>();

/**
 * The four metrics of `/metrics`, on OpenTelemetry's global MeterProvider when
 * `@opentelemetry/api` is present (the app's SDK exports them wherever it exports): meter
 * `nestjs-watchman`; `watchman.up` (observed at collection), `watchman.check.up`,
 * `watchman.check.duration` (s, last run) and `watchman.check.runs` (by `result`), with
 * attributes `check`, `alias` (`""` for a single check), `critical` (not on the duration)
 * and `result` (on the runs), as on `/metrics`. Fed by every finished
 * run, whoever asked for it; no run is started for a collection. Without an SDK the api's
 * meter is a no-op.
 */
@Injectable()
export class WatchmanOtelMetrics implements OnModuleInit, OnModuleDestroy {
  private subscription?: Subscription;
  private upGauge?: ObservableGauge;
  private readonly source = () => overallUp(this.registry, this.runner);
  private readonly observeUp = (result: ObservableResult) =>
    result.observe(Math.min(...[...upSources].map((up) => up())));

  constructor(
    private readonly runner: WatchmanRunner,
    private readonly registry: WatchmanCheckRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    const api = await loadOtelApi();
    if (!api) return;
    // Asked at boot: the app starts its SDK (and sets the global MeterProvider) before Nest's.
    const meter = api.metrics.getMeter(OTEL_METER_NAME, WATCHMAN_VERSION);
    upSources.add(this.source);
    this.upGauge = meter.createObservableGauge('watchman.up', {
      description: '1 when no critical watchman check is failing, else 0 (0 before a first result)',
    });
    this.upGauge.addCallback(this.observeUp);
    const instruments = {
      checkUp: meter.createGauge('watchman.check.up', {
        description: '1 when the check (or alias) passed its last run, else 0',
      }),
      duration: meter.createGauge('watchman.check.duration', {
        description: 'How long the last run of the check (or alias) took',
        unit: 's',
      }),
      runs: meter.createCounter('watchman.check.runs', { description: 'Runs of the check (or alias), by result' }),
    };
    this.subscription = this.runner.results$.subscribe((report) => record(instruments, report));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.upGauge?.removeCallback(this.observeUp);
    upSources.delete(this.source);
  }
}

function record(instruments: { checkUp: Gauge; duration: Gauge; runs: Counter }, report: WatchmanCheckReport): void {
  for (const series of seriesOf(report)) {
    // The labels of /metrics, so the same alert rules and dashboard read either.
    const labels: Attributes = { check: series.check, alias: series.alias };
    const critical = { ...labels, critical: String(series.critical) };
    instruments.checkUp.record(series.ok ? 1 : 0, critical);
    instruments.duration.record(roundedSeconds(series.durationMs), labels);
    instruments.runs.add(1, { ...critical, result: series.ok ? 'ok' : 'failed' });
  }
}
