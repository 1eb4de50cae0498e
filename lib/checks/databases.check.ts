import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import type { WatchmanConfig } from '../watchman.options.js';
import { WatchmanCheck } from './check.decorator.js';
import { BUILT_IN_CHECK } from './check.explorer.js';
import type { WatchmanMultiCheckable } from './check.interface.js';
import { type DataSourceLike, dataSourceAlias, isDataSource } from './typeorm/data-source.like.js';
import { pingDataSource } from './typeorm/ping-query.js';
import { pendingInitializations } from './typeorm/tolerant-data-source.factory.js';

/**
 * `databases`: a real round trip on every TypeORM DataSource (or the `databases` subset).
 * A DataSource that could not connect at start-up (`manualInitialization`, or a lenient
 * factory) is initialized here once the database answers, so it turns ok without a restart.
 */
@WatchmanCheck('databases')
@Injectable()
export class DatabasesCheck implements WatchmanMultiCheckable {
  static readonly [BUILT_IN_CHECK] = true;
  private found?: Map<string, DataSourceLike>;
  // One initialize / ping per DataSource at a time: a hung database never piles up work.
  private readonly initializing = new Map<string, Promise<unknown>>();
  private readonly pinging = new Map<string, Promise<void>>();

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  aliases(): string[] {
    return this.config.databases ?? [...this.dataSources().keys()];
  }

  async checkAlias(alias: string, signal: AbortSignal): Promise<void> {
    const dataSource = this.dataSources().get(alias);
    if (!dataSource) throw new Error(`no TypeORM DataSource named ${JSON.stringify(alias)}`);
    if (!dataSource.isInitialized) {
      // Join an initialization already under way (e.g. from start-up) rather than start a second.
      const initialize = () => pendingInitializations.get(dataSource) ?? dataSource.initialize();
      await abortable(this.once(this.initializing, alias, initialize), signal);
    }
    await abortable(this.once(this.pinging, alias, () => pingDataSource(dataSource, signal)), signal);
  }

  private once<T>(pending: Map<string, Promise<T>>, alias: string, start: () => Promise<T>): Promise<T> {
    let run = pending.get(alias);
    if (!run) {
      run = start().finally(() => pending.delete(alias));
      pending.set(alias, run);
    }
    return run;
  }

  private dataSources(): Map<string, DataSourceLike> {
    if (!this.found) {
      this.found = new Map();
      for (const wrapper of this.discovery.getProviders()) {
        const instance: unknown = wrapper.instance;
        if (!isDataSource(instance) || [...this.found.values()].includes(instance)) continue;
        this.found.set(dataSourceAlias(wrapper.token, instance), instance);
      }
    }
    return this.found;
  }
}

/** Waits for shared work, but gives up (without cancelling it for others) when this run aborts. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
