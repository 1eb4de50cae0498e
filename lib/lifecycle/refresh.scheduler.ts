import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { errorMessage } from '../common/error-like.js';
import { redactUrls } from '../common/redact.js';
import { WatchmanCheckRegistry } from '../checks/check.registry.js';
import { WatchmanTracing } from '../otel/watchman.tracing.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import { WatchmanLifecycle } from './watchman.lifecycle.js';

/**
 * The background refresh: every check any route can ask for runs from boot (after its
 * `initialDelay`) and then on its own `interval`, else `refreshInterval`, each varied by its
 * `jitter` so instances restarted together do not probe in lockstep; routes answer from the
 * latest results without touching a backend. A check still running when its turn comes is
 * not started again. Never a paid check, unless it has an interval of its own. Stops when
 * shutdown begins; its timers never keep the process alive. Its runs are kept out of the
 * app's traces (no orphan spans from a check's queries).
 */
@Injectable()
export class WatchmanRefreshScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly runner: WatchmanRunner,
    private readonly registry: WatchmanCheckRegistry,
    private readonly lifecycle: WatchmanLifecycle,
    private readonly tracing: WatchmanTracing,
  ) {}

  onApplicationBootstrap(): void {
    if (this.lifecycle.shuttingDown) return;
    const names = this.registry.allSelectable().filter((name) => this.registry.refreshEvery(name) > 0);
    if (names.length === 0) return;
    for (const name of names) {
      const delay = this.registry.get(name)?.initialDelay ?? 0;
      if (delay > 0) this.schedule(name, delay);
      else this.tick(name);
    }
    this.lifecycle.onShutdown(() => this.stop());
  }

  private tick(name: string): void {
    if (this.stopped) return;
    this.tracing
      .untraced(() => this.runner.refresh([name]))
      .catch((error: unknown) =>
        this.logger.error(`background refresh of ${name} failed: ${redactUrls(errorMessage(error))}`),
      );
    this.schedule(name, this.nextDelay(name));
  }

  // Ticks keep to the interval whatever a run takes (a run still under way is joined).
  private schedule(name: string, ms: number): void {
    this.timers.set(name, setTimeout(() => this.tick(name), ms).unref());
  }

  private nextDelay(name: string): number {
    const interval = this.registry.refreshEvery(name);
    const jitter = this.registry.get(name)?.jitter ?? 0;
    return Math.max(1, Math.round(interval * (1 + jitter * (2 * Math.random() - 1))));
  }

  private stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
