import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { WatchmanCheck, type WatchmanCheckable } from 'nestjs-watchman';

/**
 * The sample app's own check: the event loop's p99 lag since the last run, over a limit.
 * Non-critical: a busy loop is worth a warning on the dashboard, never a reason to take the
 * instance out of rotation. Sampling starts once the app has booted, so start-up work (wasm,
 * TypeORM) is not counted as lag.
 */
@WatchmanCheck('event_loop', { critical: false })
@Injectable()
export class EventLoopCheck implements WatchmanCheckable, OnApplicationBootstrap, OnModuleDestroy {
  private static readonly RESOLUTION_MS = 20;
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: EventLoopCheck.RESOLUTION_MS });
  private readonly limitMs = Number(process.env.EVENT_LOOP_LIMIT_MS ?? 200);

  onApplicationBootstrap(): void {
    this.histogram.enable();
  }

  check(): Record<string, number> {
    // The histogram records each sampling interval, so the lag is what exceeds the resolution.
    const p99 = this.histogram.count > 0 ? this.histogram.percentile(99) / 1e6 : 0;
    const lag = Math.round(Math.max(0, p99 - EventLoopCheck.RESOLUTION_MS) * 100) / 100;
    this.histogram.reset();
    if (lag > this.limitMs) throw new Error(`event loop p99 lag ${lag} ms is over ${this.limitMs} ms`);
    return { p99_lag_ms: lag };
  }

  onModuleDestroy(): void {
    this.histogram.disable();
  }
}
