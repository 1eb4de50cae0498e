import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { abortable } from '../common/race.js';
import { WatchmanCheckRegistry } from '../checks/check.registry.js';
import { WatchmanLifecycle } from '../lifecycle/watchman.lifecycle.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import { IntervalTask } from './interval-task.js';
import { PublisherChannel } from './publisher-channel.js';

/**
 * `publish.heartbeat`: from boot and then every `interval`, a GET of `url` while the checks
 * pass (or only warn), of `url/fail` while one fails — the push convention of healthchecks.io
 * and Uptime Kuma, for instances a monitor cannot reach. A beat reads the checks as an
 * anonymous probe does (shared, cached or from the background refresh; never a paid check).
 * Stops when shutdown begins.
 */
@Injectable()
export class WatchmanHeartbeatPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private readonly channel: PublisherChannel;
  private task?: IntervalTask;

  constructor(
    private readonly runner: WatchmanRunner,
    private readonly registry: WatchmanCheckRegistry,
    private readonly lifecycle: WatchmanLifecycle,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {
    this.channel = new PublisherChannel('heartbeat', config.publish.timeout, this.logger);
  }

  onApplicationBootstrap(): void {
    if (!this.config.publish.heartbeat.url || this.lifecycle.shuttingDown) return;
    this.task = new IntervalTask(this.config.publish.heartbeat.interval, () => this.beat());
    this.task.start();
    this.lifecycle.onShutdown(() => void this.close());
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private async beat(): Promise<void> {
    try {
      const names = this.registry.configuredChecks().filter((name) => !this.registry.get(name)?.paid);
      const report = await abortable(
        this.runner.runNames(names, { maxAge: this.config.openRouteTtl }),
        this.channel.signal,
      );
      if (this.channel.closed) return;
      const url = this.config.publish.heartbeat.url as string;
      await this.channel.send({ method: 'GET', url: report.status === 'fail' ? failUrl(url) : url });
    } catch (error) {
      if (!this.channel.closed) this.channel.failed(error);
    }
  }

  // A beat under way is cut, not waited for: a hung endpoint must not hold the shutdown.
  private async close(): Promise<void> {
    const beating = this.task?.stop();
    await this.channel.close(0);
    await beating;
  }
}

/** `url + '/fail'`, before the query: `https://hc-ping.com/<uuid>?rid=1` → `…/<uuid>/fail?rid=1`. */
export function failUrl(url: string): string {
  const target = new URL(url);
  target.pathname = `${target.pathname.replace(/\/+$/, '')}/fail`;
  return target.href;
}
