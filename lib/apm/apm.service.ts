import { Inject, Injectable } from '@nestjs/common';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { loadedDatadogTracer, loadedNewRelic } from './apm-agents.js';

// dd-trace's tag that rejects the whole trace (ddtrace.ext.tags.MANUAL_DROP).
const MANUAL_DROP = 'manual.drop';

/**
 * With `disableApm`, keeps watchman requests out of APM averages (probes every few seconds
 * would skew them): the Datadog trace is dropped and the New Relic transaction ignored.
 * Agents that are not loaded are simply skipped.
 */
@Injectable()
export class WatchmanApmService {
  constructor(@Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig) {}

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
