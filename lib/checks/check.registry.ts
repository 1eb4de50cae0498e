import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import { WatchmanConfigError } from '../options/config-error.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import { BUILT_IN_CHECKS, type ComponentType } from './built-in-checks.js';
import { type ResolvedCheckSettings, resolveCheckSettings } from './check-settings.js';
import { WatchmanCheckExplorer } from './check.explorer.js';
import type { WatchmanCheckInstance } from './check.interface.js';

/** A check known to watchman: built-in or found by discovery, all the same to the runner. */
export interface WatchmanRegisteredCheck extends ResolvedCheckSettings {
  name: string;
  instance: WatchmanCheckInstance;
  builtIn: boolean;
  /** Paid checks never run for an unauthenticated caller. */
  paid: boolean;
  /** The IETF health format's componentType. */
  componentType: ComponentType;
}

/**
 * Every check of one registration by name, and which of them run by default, on `live` and
 * on `ready`. Built-ins are this registration's own instances (so two `forRoot()`s with other
 * options never mix); the app's `@WatchmanCheck` providers are shared by all registrations.
 */
@Injectable()
export class WatchmanCheckRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly checks = new Map<string, WatchmanRegisteredCheck>();
  private lists = {
    configured: [] as string[],
    live: [] as string[],
    ready: [] as string[],
    startup: [] as string[],
  };
  private groups = new Map<string, string[]>();

  constructor(
    private readonly explorer: WatchmanCheckExplorer,
    private readonly moduleRef: ModuleRef,
    private readonly discovery: DiscoveryService,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  onModuleInit(): void {
    const byDefault: string[] = [];
    for (const builtIn of BUILT_IN_CHECKS) {
      const settings = resolveCheckSettings(builtIn.name, this.config);
      const instance = builtIn.create(this.config, settings, { discovery: this.discovery, moduleRef: this.moduleRef });
      this.register(builtIn.name, instance, {
        builtIn: true,
        paid: builtIn.paid ?? false,
        componentType: builtIn.componentType,
        ...settings,
      });
      if (builtIn.byDefault(this.config, instance)) byDefault.push(builtIn.name);
    }
    for (const found of this.explorer.explore()) {
      const { name, ...declared } = found.options;
      this.register(name, found.instance, {
        builtIn: false,
        paid: false,
        componentType: 'component',
        ...resolveCheckSettings(name, this.config, declared),
      });
      byDefault.push(name);
    }
    const configured = this.config.checks ? this.known('checks (WATCHMAN_CHECKS)', this.config.checks) : byDefault;
    const ready = this.config.readyChecks
      ? this.known('readyChecks (WATCHMAN_READY_CHECKS)', this.config.readyChecks)
      : configured;
    this.lists = {
      configured,
      live: this.known('liveChecks (WATCHMAN_LIVE_CHECKS)', this.config.liveChecks),
      ready,
      startup: this.config.startupChecks
        ? this.known('startupChecks (WATCHMAN_STARTUP_CHECKS)', this.config.startupChecks)
        : ready,
    };
    for (const [group, names] of this.config.groups)
      this.groups.set(group, this.known(`groups.${group} (WATCHMAN_GROUPS)`, names));
    this.known('checkOptions', [...this.config.checkOptions.keys()]);
    this.known('nonCritical (WATCHMAN_NON_CRITICAL)', this.config.nonCritical);
    for (const check of this.checks.values()) {
      if (check.scope !== 'fleet' || this.intervalOf(check.name) > 0) continue;
      throw new WatchmanConfigError(
        `checkOptions.${check.name}.scope`,
        'fleet',
        `a fleet-scoped check runs once per interval: give it an interval, or set refreshInterval (WATCHMAN_REFRESH_INTERVAL_MS) or cacheTtl (WATCHMAN_CACHE_TTL_MS)`,
      );
    }
  }

  /** The check of that name, if any. */
  get(name: string): WatchmanRegisteredCheck | undefined {
    return this.checks.get(name);
  }

  /** Every registered check, in registration order. */
  getAll(): WatchmanRegisteredCheck[] {
    return [...this.checks.values()];
  }

  /** The checks run when a request selects nothing in particular. */
  configuredChecks(): readonly string[] {
    return this.lists.configured;
  }

  /** The checks `live` runs. */
  liveChecks(): readonly string[] {
    return this.lists.live;
  }

  /** The checks `ready` runs. */
  readyChecks(): readonly string[] {
    return this.lists.ready;
  }

  /**
   * How often the background refresh runs a check (ms; 0: never, it runs per request): its own
   * `interval`, else `refreshInterval` — except for a paid check, which runs by itself only on
   * an interval of its own.
   */
  refreshEvery(name: string): number {
    const check = this.checks.get(name);
    if (check?.interval !== undefined) return check.interval;
    return check?.paid ? 0 : this.config.refreshInterval;
  }

  /**
   * @internal The interval a check's result is good for (ms): its background interval, else `cacheTtl`
   * (0: a run per request). A fleet-scoped check runs once per this across the fleet.
   */
  intervalOf(name: string): number {
    return this.refreshEvery(name) || this.config.cacheTtl;
  }

  /** The checks `startup` runs until each has passed once. */
  startupChecks(): readonly string[] {
    return this.lists.startup;
  }

  /** The checks of a group, if there is one of that name. */
  group(name: string): readonly string[] | undefined {
    return this.groups.get(name);
  }

  /** @internal Every check any route or the refresh may run. */
  allSelectable(): string[] {
    const { configured, live, ready, startup } = this.lists;
    return [...new Set([...configured, ...live, ...ready, ...startup, ...[...this.groups.values()].flat()])];
  }

  /** Built-ins close what they opened themselves (the email check's transporter). */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(
      this.getAll()
        .filter((check) => check.builtIn)
        .map((check) => (check.instance as { close?(): unknown }).close?.()),
    );
  }

  private register(
    name: string,
    instance: WatchmanCheckInstance,
    facts: Omit<WatchmanRegisteredCheck, 'name' | 'instance'>,
  ) {
    if (this.checks.has(name)) throw new Error(`nestjs-watchman: two checks are named ${JSON.stringify(name)}`);
    // The app's own word on its availability goes by this name in the JSON, metrics and events.
    if (name === 'availability')
      throw new Error('nestjs-watchman: "availability" is reserved, name the check otherwise');
    this.checks.set(name, { name, instance, ...facts });
  }

  private known(option: string, names: readonly string[]): string[] {
    const unknown = names.filter((name) => !this.checks.has(name));
    if (unknown.length > 0) {
      const known = [...this.checks.keys()].sort().join(', ');
      throw new WatchmanConfigError(option, unknown.join(','), `unknown check name; known checks: ${known}`);
    }
    return [...new Set(names)];
  }
}
