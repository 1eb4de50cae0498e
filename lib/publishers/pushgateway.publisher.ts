import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { abortable } from '../common/race.js';
import { WatchmanLifecycle } from '../lifecycle/watchman.lifecycle.js';
import { WatchmanMetrics } from '../metrics/watchman.metrics.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import { IntervalTask } from './interval-task.js';
import { PUBLISH_SHUTDOWN_MS, PublisherChannel } from './publisher-channel.js';
import { pushgatewayGroupUrl } from './pushgateway-url.js';

/**
 * `publish.pushgateway`: watchman's metrics, as `/watchman/metrics` gives them, PUT to a
 * Prometheus Pushgateway from boot and then every `interval`, in the group
 * `job=<job>, instance=<instance>` (each push replaces the group); the group is DELETEd when
 * shutdown begins, so a stopped instance leaves no metrics behind. A push reads the checks as a
 * scrape does (shared, cached or from the background refresh). Needs prom-client.
 */
@Injectable()
export class WatchmanPushgatewayPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private readonly channel: PublisherChannel;
  private task?: IntervalTask;
  private closing?: Promise<void>;

  constructor(
    private readonly metrics: WatchmanMetrics,
    private readonly lifecycle: WatchmanLifecycle,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {
    this.channel = new PublisherChannel('pushgateway', config.publish.timeout, this.logger);
  }

  private get group(): string {
    const { url, job } = this.config.publish.pushgateway;
    return pushgatewayGroupUrl(url as string, job, this.config.instance);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.publish.pushgateway.url || this.lifecycle.shuttingDown) return;
    if (!(await this.metrics.available())) {
      this.logger.warn(
        'publish.pushgateway needs the prom-client package (npm install prom-client): nothing is pushed',
      );
      return;
    }
    this.task = new IntervalTask(this.config.publish.pushgateway.interval, () => this.push());
    this.task.start();
    // The group goes as soon as shutdown begins: no push after it, none of it left behind.
    this.lifecycle.onShutdown(() => void this.close());
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private async push(): Promise<void> {
    try {
      const text = await abortable(this.metrics.scrape(), this.channel.signal);
      if (text === undefined || this.channel.closed) return;
      await this.channel.send({ method: 'PUT', url: this.group, body: text, contentType: 'text/plain; version=0.0.4' });
    } catch (error) {
      if (!this.channel.closed) this.channel.failed(error);
    }
  }

  private close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.task) return;
      const pushing = this.task.stop();
      // A push under way is cut, or it could bring the group back after the DELETE.
      await this.channel.close(0);
      await pushing;
      await this.channel.send(
        { method: 'DELETE', url: this.group },
        { final: true, timeoutMs: Math.min(this.config.publish.timeout, PUBLISH_SHUTDOWN_MS) },
      );
    })();
    return this.closing;
  }
}
