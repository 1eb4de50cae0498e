import type { DiscoveryService } from '@nestjs/core';
import { WatchmanCheckError } from './check-error.js';
import type { WatchmanMultiCheckable } from './check.interface.js';
import { discoveredProviders } from './discovered-providers.js';
import { type JobCounts, type QueueLike, isBullQueue, queueAlias } from './bullmq/queue.like.js';
import { probeQueue } from './bullmq/queue.probe.js';

/** The `queues` check's own settings. */
export interface QueuesCheckSettings {
  /** The subset to check (WATCHMAN_QUEUES); every queue found by default. */
  names?: readonly string[];
  /** Fail a queue with more jobs than this waiting. */
  maxWaiting?: number;
  /** Fail a queue with more failed jobs than this. */
  maxFailed?: number;
}

/**
 * `queues`: every BullMQ `Queue` the app registered with `@nestjs/bullmq` (found by itself, like
 * DataSources; bullmq is never imported), one alias per queue name: a round trip on the queue's
 * own Redis connection and its job counts, `waiting`, `active`, `failed`, `delayed`, against
 * the optional `maxWaiting` / `maxFailed`. It never adds, moves or removes a job.
 */
export class QueuesCheck implements WatchmanMultiCheckable {
  private found?: Map<string, QueueLike>;

  constructor(
    private readonly settings: QueuesCheckSettings,
    private readonly discovery: DiscoveryService,
  ) {}

  /** Whether the app registered any queue (the check then runs by default). */
  hasQueues(): boolean {
    return this.queues().size > 0;
  }

  aliases(): string[] {
    return [...(this.settings.names ?? this.queues().keys())];
  }

  async checkAlias(alias: string, signal: AbortSignal): Promise<JobCounts> {
    const queue = this.queues().get(alias);
    if (!queue) throw new Error(`no BullMQ queue named ${JSON.stringify(alias)}`);
    const counts = await probeQueue(queue, signal);
    const over = [
      exceeds(counts.waiting, this.settings.maxWaiting, 'waiting', 'maxWaiting'),
      exceeds(counts.failed, this.settings.maxFailed, 'failed', 'maxFailed'),
    ].filter((reason) => reason !== undefined);
    if (over.length > 0) throw new WatchmanCheckError(over.join('; '), { details: counts });
    return counts;
  }

  private queues(): Map<string, QueueLike> {
    this.found ??= discoveredProviders(this.discovery, isBullQueue, queueAlias);
    return this.found;
  }
}

function exceeds(count: number, max: number | undefined, state: string, option: string): string | undefined {
  if (max === undefined || count <= max) return undefined;
  return `${count} jobs ${state}, more than ${option} (${max})`;
}
