import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { WatchmanCheckRegistry } from '../checks/check.registry.js';
import { within } from '../common/race.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import type { WatchmanCheckReport } from '../runner/check-result.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import type { WatchmanStatusChange } from '../runner/status-change.js';
import { WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import { ChangeThrottle } from './change-throttle.js';
import { PUBLISH_SHUTDOWN_MS, PublisherChannel } from './publisher-channel.js';
import { webhookMessage } from './webhook-message.js';

// Messages waiting behind a slow endpoint beyond this are dropped (and the drop logged once).
const MAX_QUEUED = 100;

/**
 * `publish.webhook`: a JSON POST (`WatchmanWebhookMessage`) on every status change from the
 * runner's `statusChanges$`, so once per flip however many requests saw it. Flips of the same
 * run go out in one message; messages go out one at a time, in order; `minInterval` holds a
 * check's next message back (see ChangeThrottle). Never in a check's or a response's way:
 * the subscriber only queues, each POST is bounded by `publish.timeout`.
 */
@Injectable()
export class WatchmanWebhookPublisher implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private readonly channel: PublisherChannel;
  private readonly throttle: ChangeThrottle;
  private readonly holds = new Set<NodeJS.Timeout>();
  private subscription?: Subscription;
  private batch: WatchmanStatusChange[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private closing?: Promise<void>;

  constructor(
    private readonly runner: WatchmanRunner,
    private readonly registry: WatchmanCheckRegistry,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {
    this.channel = new PublisherChannel('webhook', config.publish.timeout, this.logger);
    this.throttle = new ChangeThrottle(config.publish.webhook.minInterval);
  }

  onModuleInit(): void {
    if (!this.config.publish.webhook.url) return;
    this.subscription = this.runner.statusChanges$.subscribe((change) => this.offer(change));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  // By now the runs under way at shutdown have finished (the lifecycle drained them): their
  // flips still go out, for a moment; what a hold keeps back is dropped.
  beforeApplicationShutdown(): Promise<void> {
    this.closing ??= (async () => {
      for (const hold of this.holds) clearTimeout(hold);
      this.holds.clear();
      this.flush();
      await within(this.queue, PUBLISH_SHUTDOWN_MS, () => undefined);
      await this.channel.close(0);
    })();
    return this.closing;
  }

  // Runs inside the runner's `finish`: it must not throw, nor wait.
  private offer(change: WatchmanStatusChange): void {
    try {
      const decision = this.throttle.offer(change, performance.now());
      if ('send' in decision) this.add(decision.send);
      else if ('hold' in decision) this.hold(decision.hold, decision.waitMs);
    } catch (error) {
      this.channel.failed(error);
    }
  }

  private hold(key: string, waitMs: number): void {
    const timer = setTimeout(() => {
      this.holds.delete(timer);
      const change = this.throttle.release(key, performance.now());
      if (change) this.add(change);
    }, waitMs).unref();
    this.holds.add(timer);
  }

  // Flips of one run arrive in the same tick: they are sent together.
  private add(change: WatchmanStatusChange): void {
    if (this.channel.closed) return;
    this.batch.push(change);
    if (this.batch.length === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const changes = this.batch;
    this.batch = [];
    if (changes.length === 0 || this.channel.closed) return;
    if (this.queued >= MAX_QUEUED) {
      this.channel.failed(
        new Error(`the endpoint is not keeping up: ${MAX_QUEUED} messages wait, newer ones are dropped`),
      );
      return;
    }
    const body = JSON.stringify(
      webhookMessage(
        changes,
        this.latestReports(),
        (check) => this.registry.get(check)?.critical ?? true,
        this.config.instance,
      ),
    );
    this.queued += 1;
    this.queue = this.queue
      .then(() => this.channel.send({ method: 'POST', url: this.config.publish.webhook.url as string, body }))
      .finally(() => (this.queued -= 1));
  }

  private latestReports(): WatchmanCheckReport[] {
    return this.registry
      .configuredChecks()
      .map((name) => this.runner.lastReport(name))
      .filter((report) => report !== undefined);
  }
}
