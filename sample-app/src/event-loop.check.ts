import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { WatchmanCheck, type WatchmanCheckable } from 'nestjs-watchman';

/** The sample app's own check: fails when the event loop lags (p99 delay over the limit). */
@WatchmanCheck('event_loop')
@Injectable()
export class EventLoopCheck implements WatchmanCheckable, OnModuleDestroy {
  private static readonly RESOLUTION_MS = 20;
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: EventLoopCheck.RESOLUTION_MS });
  private readonly limitMs = Number(process.env.EVENT_LOOP_LIMIT_MS ?? 200);

  constructor() {
    this.histogram.enable();
  }

  check(): Record<string, number> {
    // The histogram records each sampling interval, so the lag is what exceeds the resolution.
    const p99 = Math.max(0, Math.round(this.histogram.percentile(99) / 1e4) / 100 - EventLoopCheck.RESOLUTION_MS);
    const lag = Math.round(p99 * 100) / 100;
    this.histogram.reset();
    if (lag > this.limitMs) throw new Error(`event loop p99 lag ${lag} ms is over ${this.limitMs} ms`);
    return { p99_lag_ms: lag };
  }

  onModuleDestroy(): void {
    this.histogram.disable();
  }
}
