import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type OtelApiModule, loadOtelApi, suppressedContext } from './otel-api.js';

/**
 * Runs watchman's own background work outside the app's traces: with `@opentelemetry/api`
 * present, a background refresh run executes with tracing suppressed, so the checks' queries
 * (a `SELECT 1` every few seconds) make no orphan root spans. Runs a request causes stay in
 * that request's trace.
 */
@Injectable()
export class WatchmanTracing implements OnModuleInit {
  private api?: OtelApiModule;

  async onModuleInit(): Promise<void> {
    this.api = await loadOtelApi();
  }

  /** Calls `work` with tracing suppressed (simply calls it without the api). */
  untraced<T>(work: () => T): T {
    const api = this.api;
    return api ? api.context.with(suppressedContext(api), work) : work();
  }
}
