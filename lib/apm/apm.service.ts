import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { loadOtelApi } from '../otel/otel-api.js';
import { loadedDatadogTracer, loadedNewRelic } from './apm-agents.js';
import { untraceRequests } from './untraced-requests.js';

// dd-trace's tag that rejects the whole trace (ddtrace.ext.tags.MANUAL_DROP).
const MANUAL_DROP = 'manual.drop';

/**
 * With `disableApm`, keeps watchman requests out of APM averages (probes every few seconds
 * would skew them): the Datadog trace is dropped, the New Relic transaction ignored, and no
 * OpenTelemetry span is recorded. Agents that are not loaded are simply skipped.
 */
@Injectable()
export class WatchmanApmService implements OnModuleInit {
  constructor(@Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig) {}

  async onModuleInit(): Promise<void> {
    // Loaded before the first request, which then reads it synchronously.
    if (this.config.disableApm) await loadOtelApi();
  }

  /**
   * Call once per server that serves watchman: with `disableApm`, the requests `isOurs`
   * picks record no OpenTelemetry span at all (see `untraceRequests`). Returns how to undo it.
   */
  guardServer(server: EventEmitter, isOurs: (request: IncomingMessage) => boolean): () => void {
    return this.config.disableApm ? untraceRequests(server, isOurs) : () => undefined;
  }

  /** Call inside the request being handled. */
  ignoreCurrentRequest(): void {
    if (!this.config.disableApm) return;
    try {
      loadedDatadogTracer()?.scope().active()?.setTag(MANUAL_DROP, true);
    } catch {
      // an agent's failure must never fail a health check
    }
    try {
      loadedNewRelic()?.getTransaction()?.ignore?.();
    } catch {
      // as above
    }
  }
}
