import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { WatchmanCheck, type WatchmanCheckable } from 'nestjs-watchman';

/** The sample app's own check: fails when the event loop lags (p99 delay over the limit). */
@WatchmanCheck('event_loop')
@Injectable()
export class EventLoopCheck implements WatchmanCheckable, OnModuleDestroy {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private readonly limitMs = Number(process.env.EVENT_LOOP_LIMIT_MS ?? 200);

  constructor() {
    this.histogram.enable();
  }

  check(): Record<string, number> {
    const p99 = Math.round(this.histogram.percentile(99) / 1e4) / 100;
    this.histogram.reset();
    if (p99 > this.limitMs) throw new Error(`event loop p99 delay ${p99} ms is over ${this.limitMs} ms`);
    return { p99_ms: p99 };
  }

  onModuleDestroy(): void {
    this.histogram.disable();
  }
}
