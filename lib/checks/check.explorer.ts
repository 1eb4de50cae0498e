import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { WATCHMAN_CHECK_METADATA, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import type { WatchmanCheckOptions } from './check.decorator.js';
import { type WatchmanCheckInstance, isCheckInstance } from './check.interface.js';

/** A `@WatchmanCheck()` provider found in the app. */
export interface DiscoveredCheck {
  options: WatchmanCheckOptions;
  instance: WatchmanCheckInstance;
  /** The class, for messages. */
  className: string;
}

/**
 * Finds the app's `@WatchmanCheck()` providers through Nest's discovery. It only discovers:
 * which checks run is the registry's business.
 */
@Injectable()
export class WatchmanCheckExplorer {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  /** Every decorated singleton provider, once per class; throws on a class that cannot run. */
  explore(): DiscoveredCheck[] {
    const found = new Map<Function, DiscoveredCheck>();
    for (const wrapper of this.discovery.getProviders()) {
      const metatype = wrapper.metatype;
      if (typeof metatype !== 'function' || found.has(metatype)) continue;
      const options = this.reflector.get<WatchmanCheckOptions | undefined>(WATCHMAN_CHECK_METADATA, metatype);
      if (!options) continue;
      if (!wrapper.isDependencyTreeStatic() || !wrapper.instance) {
        this.logger.warn(
          `@WatchmanCheck('${options.name}') on ${metatype.name} is skipped: checks must be singleton providers`,
        );
        continue;
      }
      if (!isCheckInstance(wrapper.instance)) {
        throw new Error(
          `nestjs-watchman: @WatchmanCheck('${options.name}') on ${metatype.name}: the class needs a check(signal) method, ` +
            'or aliases() and checkAlias(alias, signal) for a multi-resource check',
        );
      }
      found.set(metatype, { options, instance: wrapper.instance, className: metatype.name });
    }
    return [...found.values()];
  }
}
