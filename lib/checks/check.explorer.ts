import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { DEFAULT_CHECKS, PAID_CHECKS, WATCHMAN_CHECK_METADATA, WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import { type WatchmanConfig, WatchmanConfigError } from '../watchman.options.js';
import type { WatchmanCheckOptions } from './check.decorator.js';
import type { WatchmanCheckInstance } from './check.interface.js';
import { WatchmanCheckRegistry } from './check.registry.js';

/** Marks the built-in check classes, so the default list can tell them from users' checks. */
export const BUILT_IN_CHECK = Symbol('watchman:built-in');

/**
 * Finds every `@WatchmanCheck()` provider once all providers exist, registers it, and
 * validates the configured check list against what was found (an unknown name stops start-up).
 */
@Injectable()
export class WatchmanCheckExplorer implements OnModuleInit {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private configured: string[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly registry: WatchmanCheckRegistry,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  onModuleInit(): void {
    const seen = new Map<string, unknown>();
    for (const wrapper of this.discovery.getProviders()) {
      const metatype = wrapper.metatype as (Function & { [BUILT_IN_CHECK]?: boolean }) | undefined;
      if (!metatype || typeof metatype !== 'function') continue;
      const options = this.reflector.get<WatchmanCheckOptions | undefined>(WATCHMAN_CHECK_METADATA, metatype);
      if (!options) continue;
      if (!wrapper.isDependencyTreeStatic() || !wrapper.instance) {
        this.logger.warn(`@WatchmanCheck('${options.name}') on ${metatype.name} is skipped: checks must be singleton providers`);
        continue;
      }
      if (seen.get(options.name) === metatype) continue; // the same class provided by two modules
      seen.set(options.name, metatype);
      this.registry.register({ name: options.name, instance: wrapper.instance as WatchmanCheckInstance, builtIn: metatype[BUILT_IN_CHECK] === true });
    }
    this.configured = this.resolveConfigured();
  }

  /** The checks that run when a request selects nothing in particular. */
  configuredChecks(): readonly string[] {
    return this.configured;
  }

  private resolveConfigured(): string[] {
    const known = this.registry.getAll();
    if (this.config.checks === undefined) {
      const builtIns = [...DEFAULT_CHECKS, ...(this.config.enablePaidChecks ? PAID_CHECKS : [])];
      const custom = known.filter((check) => !check.builtIn).map((check) => check.name);
      return [...new Set([...builtIns, ...custom])];
    }
    const unknown = this.config.checks.filter((name) => !this.registry.get(name));
    if (unknown.length > 0) {
      const names = known.map((check) => check.name).sort().join(', ');
      throw new WatchmanConfigError('checks (WATCHMAN_CHECKS)', unknown.join(','), `unknown check name; known checks: ${names}`);
    }
    return [...new Set(this.config.checks)];
  }
}
