import { Inject, Injectable } from '@nestjs/common';
import { Observable, Subject, concat, defer, distinctUntilChanged, map, merge } from 'rxjs';
import { WatchmanCheckRegistry } from '../checks/check.registry.js';
import { WatchmanStartupLatch } from '../lifecycle/startup.latch.js';
import { WatchmanAvailability } from '../lifecycle/watchman.availability.js';
import { WatchmanLifecycle } from '../lifecycle/watchman.lifecycle.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import type { RouteRequest } from '../routes/route-request.js';
import { WatchmanRoutes } from '../routes/watchman-routes.js';
import { outcomeStatus } from '../runner/check-result.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';

/** The gRPC health protocol's statuses (`SERVICE_UNKNOWN` only on `Watch`; `Check` says NOT_FOUND). */
export type WatchmanServingStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/** gRPC health service names that stand for a probe; any other known name is a check. */
const PROBES: Record<string, 'ready' | 'live' | 'startup'> = {
  '': 'ready',
  readiness: 'ready',
  liveness: 'live',
  startup: 'startup',
};

/**
 * What a gRPC health caller is told, by the same rules as the HTTP probes: non-critical
 * failures still serve, from the first shutdown hook every service but `liveness` is
 * NOT_SERVING, the app's own availability counts. `check()` runs like an anonymous probe
 * (shared, at most once per `openRouteTtl`); `watch()` sends that at once, then one message
 * per change, worked out from the results the runner publishes — a stream never runs a check.
 */
@Injectable()
export class WatchmanHealthStatus {
  private readonly shutdown = new Subject<void>();
  private readonly changes$: Observable<unknown>;

  constructor(
    private readonly routes: WatchmanRoutes,
    private readonly runner: WatchmanRunner,
    private readonly registry: WatchmanCheckRegistry,
    private readonly lifecycle: WatchmanLifecycle,
    private readonly availability: WatchmanAvailability,
    private readonly startup: WatchmanStartupLatch,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {
    lifecycle.onShutdown(() => this.shutdown.next());
    this.changes$ = merge(runner.results$, availability.changes$, this.shutdown);
  }

  /** Every service name it answers for: the probes, then the checks. */
  services(): string[] {
    return [...Object.keys(PROBES), ...this.registry.allSelectable()];
  }

  /** Whether it answers for that service name. */
  knows(service: string): boolean {
    return service in PROBES || this.registry.allSelectable().includes(service);
  }

  /** The status now, running the checks as an anonymous probe would. */
  async check(service: string): Promise<WatchmanServingStatus> {
    if (!this.knows(service)) return 'SERVICE_UNKNOWN';
    const probe = PROBES[service];
    if (probe) return (await this.routes.answer(probe, anonymous())).status === 200 ? 'SERVING' : 'NOT_SERVING';
    if (this.lifecycle.shuttingDown) return 'NOT_SERVING';
    // A paid check never runs for a caller who proved nothing: its latest result, if any.
    if (!this.registry.get(service)?.paid) await this.runner.runNames([service], { maxAge: this.config.openRouteTtl });
    return this.current(service);
  }

  /** The status at once, then each change, until unsubscribed. */
  watch(service: string): Observable<WatchmanServingStatus> {
    return concat(
      defer(() => this.check(service)),
      this.changes$.pipe(map(() => this.current(service))),
    ).pipe(distinctUntilChanged());
  }

  /** The status from the latest results and states, running nothing. */
  current(service: string): WatchmanServingStatus {
    if (!this.knows(service)) return 'SERVICE_UNKNOWN';
    const { ready, live } = this.availability.state;
    const probe = PROBES[service];
    if (probe === 'live') return serving(live && this.latestOk(this.registry.liveChecks()));
    if (this.lifecycle.shuttingDown) return 'NOT_SERVING';
    if (probe === 'startup') return serving(this.startup.latched || this.latestOk(this.registry.startupChecks()));
    if (probe === 'ready') {
      const held = this.config.startupChecks !== undefined && !this.startup.latched;
      return serving(ready && !held && this.latestOk(this.registry.readyChecks()));
    }
    return serving(this.latestOk([service]));
  }

  // Every (unpaid, or already run) check's latest result passes or only warns.
  private latestOk(names: readonly string[]): boolean {
    return names.every((name) => {
      const last = this.runner.lastReport(name);
      if (!last) return this.registry.get(name)?.paid === true; // never run for an anonymous probe
      return outcomeStatus(last.outcome, last.critical) !== 'fail';
    });
  }
}

function serving(ok: boolean): WatchmanServingStatus {
  return ok ? 'SERVING' : 'NOT_SERVING';
}

function anonymous(): RouteRequest {
  return { path: '', params: {}, query: new URLSearchParams(), authenticated: false };
}
