import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { errorMessage } from '../common/error-like.js';
import { redactUrls } from '../common/redact.js';
import { WatchmanCheckRegistry } from '../checks/check.registry.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import { WatchmanLifecycle } from './watchman.lifecycle.js';

/**
 * With `refreshInterval`, runs every check any route can ask for (the configured, live and
 * ready checks) from boot and then on the interval, so routes answer from the latest results
 * without touching a backend. A check still running at the next tick is not started again.
 * Stops when shutdown begins.
 */
@Injectable()
export class WatchmanRefreshScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly runner: WatchmanRunner,
    private readonly registry: WatchmanCheckRegistry,
    private readonly lifecycle: WatchmanLifecycle,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.refreshInterval <= 0 || this.lifecycle.shuttingDown) return;
    // Never a paid check on a timer: it runs only for an authenticated request.
    const names = this.registry.allSelectable().filter((name) => !this.registry.get(name)?.paid);
    const tick = () => {
      this.runner
        .refresh(names)
        .catch((error: unknown) => this.logger.error(`background refresh failed: ${redactUrls(errorMessage(error))}`));
    };
    tick();
    // unref: the refresh never keeps a process alive on its own.
    this.timer = setInterval(tick, this.config.refreshInterval).unref();
    this.lifecycle.onShutdown(() => this.stop());
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
