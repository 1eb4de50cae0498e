import { Inject, Injectable, Logger } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { type WatchmanMultiCheckable, isMultiCheck } from '../checks/check.interface.js';
import { type RegisteredCheck, WatchmanCheckRegistry } from '../checks/check.registry.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import {
  type AliasReport,
  type CheckOutcome,
  type CheckReport,
  type WatchmanReport,
  elapsed,
  failureOutcome,
  statusOf,
} from './check-result.js';
import { WatchmanHistory } from './check.history.js';
import { runWithTimeout } from './run-with-timeout.js';
import { type CheckSelection, selectChecks } from './selection.js';
import { type WatchmanStatusChange, statusChanges } from './status-change.js';

/** How a caller wants its report. */
export interface RunOptions {
  /** Run now even when a background refresh keeps results (a shared in-flight run is still joined). */
  fresh?: boolean;
}

/**
 * Runs checks for every front end alike (routes, CLI, metrics, terminus, the refresh): all
 * selected checks, and every alias, concurrently, each under its own timeout. A check that is
 * already running is joined, never started twice; with `cacheTtl` its last result is reused;
 * with `refreshInterval` reports are cut from the latest background results.
 */
@Injectable()
export class WatchmanRunner {
  /** Every flip of a check's (or alias's) ok-ness, once per flip. */
  readonly statusChanges$: Observable<WatchmanStatusChange>;
  /** Every finished run of a check. */
  readonly results$: Observable<CheckReport>;

  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private readonly changes = new Subject<WatchmanStatusChange>();
  private readonly results = new Subject<CheckReport>();
  private readonly inFlight = new Map<string, Promise<CheckReport>>();
  private readonly sets = new Map<string, Promise<WatchmanReport>>();
  private readonly latest = new Map<string, { report: CheckReport; finishedAt: number }>();
  private stopped = false;

  constructor(
    private readonly registry: WatchmanCheckRegistry,
    private readonly history: WatchmanHistory,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {
    this.statusChanges$ = this.changes.asObservable();
    this.results$ = this.results.asObservable();
  }

  /** The checks run when nothing narrower is asked for. */
  configuredChecks(): readonly string[] {
    return this.registry.configuredChecks();
  }

  /** The configured checks a `?check=` / `?skip=` selection keeps. */
  select(selection: CheckSelection = {}): string[] {
    return selectChecks(this.configuredChecks(), selection);
  }

  /** Runs the selected checks (all configured ones by default). */
  run(selection: CheckSelection = {}, options: RunOptions = {}): Promise<WatchmanReport> {
    return this.runNames(this.select(selection), options);
  }

  /**
   * A report of exactly these registered checks, sorted by name. Concurrent callers asking
   * for the same set share one report; a check already running for another set is joined.
   */
  runNames(names: readonly string[], options: RunOptions = {}): Promise<WatchmanReport> {
    const unique = names.length > 1 ? [...new Set(names)].sort() : [...names];
    // With the background refresh every probe is answered from the latest results: built at
    // once, no run to share or wait for.
    if (this.config.refreshInterval > 0 && !options.fresh) {
      const latest = unique.map((name) => this.latest.get(name)?.report);
      if (latest.every((report) => report !== undefined)) {
        return Promise.resolve(
          this.reportOf(
            latest.map((report) => this.unlessStale(report as CheckReport)),
            new Date(),
            performance.now(),
          ),
        );
      }
    }
    const key = unique.join('\u0000');
    const shared = this.sets.get(key);
    if (shared) return shared;
    const run = this.assemble(unique, options).finally(() => this.sets.delete(key));
    this.sets.set(key, run);
    return run;
  }

  /** Starts a run of each named check that is not already running (the background refresh). */
  refresh(names: readonly string[]): Promise<unknown> {
    return Promise.all(names.map((name) => this.inFlight.get(name) ?? this.start(name)));
  }

  /** The last finished run of a check, if any. */
  lastReport(name: string): CheckReport | undefined {
    return this.latest.get(name)?.report;
  }

  /** From now on no check starts (shutdown); runs already under way finish. */
  stop(): void {
    this.stopped = true;
  }

  /** Waits for every run under way (each is bounded by its timeout). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async assemble(names: string[], options: RunOptions): Promise<WatchmanReport> {
    const measuredAt = new Date();
    const startedAt = performance.now();
    return this.reportOf(
      await Promise.all(names.map((name) => this.checkReport(name, options))),
      measuredAt,
      startedAt,
    );
  }

  private reportOf(checks: CheckReport[], measuredAt: Date, startedAt: number): WatchmanReport {
    const status = statusOf(checks);
    return { ok: status !== 'fail', status, checks, measuredAt, durationMs: elapsed(startedAt) };
  }

  private checkReport(name: string, options: RunOptions): Promise<CheckReport> {
    const last = this.latest.get(name);
    // With the background refresh, the latest result answers at once, even while the next run
    // is under way: a probe never waits on a backend.
    if (this.config.refreshInterval > 0 && !options.fresh && last)
      return Promise.resolve(this.unlessStale(last.report));
    const running = this.inFlight.get(name);
    if (running) return running;
    if (last && this.config.cacheTtl > 0 && Date.now() - last.finishedAt < this.config.cacheTtl)
      return Promise.resolve(last.report);
    if (this.stopped) return Promise.resolve(this.notStarted(name));
    return this.start(name);
  }

  private start(name: string): Promise<CheckReport> {
    if (this.stopped) return Promise.resolve(this.notStarted(name));
    const run = this.execute(name)
      .then((report) => this.finish(report))
      .finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, run);
    return run;
  }

  private async execute(name: string): Promise<CheckReport> {
    const check = this.registry.get(name);
    if (!check) {
      return {
        name,
        critical: true,
        outcome: failureOutcome(new Error(`no check named ${JSON.stringify(name)}`), performance.now(), new Date()),
      };
    }
    if (!isMultiCheck(check.instance)) {
      const instance = check.instance;
      return {
        name,
        critical: check.critical,
        outcome: await runWithTimeout((signal) => instance.check(signal), check.timeout),
      };
    }
    return this.executeMulti(check, check.instance);
  }

  private async executeMulti(check: RegisteredCheck, instance: WatchmanMultiCheckable): Promise<CheckReport> {
    let aliases: string[] = [];
    const listing = await runWithTimeout(async () => {
      aliases = [...new Set((await instance.aliases()).map(String))].sort();
    }, check.timeout);
    if (!listing.ok) return { name: check.name, critical: check.critical, outcome: listing };
    const reports: AliasReport[] = await Promise.all(
      aliases.map(async (alias) => ({
        alias,
        outcome: await runWithTimeout((signal) => instance.checkAlias(alias, signal), check.timeout),
      })),
    );
    const failed = reports.filter((report) => !report.outcome.ok);
    const outcome: CheckOutcome = {
      ok: failed.length === 0,
      error: failed.length ? failed.map((report) => `${report.alias}: ${report.outcome.error}`).join('; ') : undefined,
      details: {},
      durationMs: Math.max(listing.durationMs, ...reports.map((report) => report.outcome.durationMs)),
      measuredAt: listing.measuredAt,
    };
    return { name: check.name, critical: check.critical, outcome, aliases: reports };
  }

  // Once per run of a check, however many requests shared it.
  private finish(report: CheckReport): CheckReport {
    const previous = this.latest.get(report.name)?.report;
    this.latest.set(report.name, { report, finishedAt: Date.now() });
    this.history.record(report);
    if (!report.outcome.ok) {
      const kind = report.critical ? 'failed' : 'failed (non-critical)';
      this.logger[report.critical ? 'error' : 'warn'](`check ${report.name} ${kind}: ${report.outcome.error}`);
    }
    this.logger.debug(
      `check ${report.name}: ${report.outcome.ok ? 'ok' : 'failed'} in ${report.outcome.durationMs} ms`,
    );
    this.results.next(report);
    for (const change of statusChanges(previous, report)) this.changes.next(change);
    return report;
  }

  private unlessStale(report: CheckReport): CheckReport {
    const maxAge =
      2 * (this.config.refreshInterval + (this.registry.get(report.name)?.timeout ?? this.config.checkTimeout));
    if (Date.now() - report.outcome.measuredAt.getTime() <= maxAge) return report;
    const stale = (outcome: CheckOutcome): CheckOutcome => ({
      ...outcome,
      ok: false,
      error: 'stale result',
      stacktrace: undefined,
    });
    return {
      ...report,
      outcome: stale(report.outcome),
      aliases: report.aliases?.map(({ alias, outcome }) => ({ alias, outcome: stale(outcome) })),
    };
  }

  private notStarted(name: string): CheckReport {
    const outcome = failureOutcome(new Error('shutting down: no check starts any more'), performance.now(), new Date());
    return {
      name,
      critical: this.registry.get(name)?.critical ?? true,
      outcome: { ...outcome, stacktrace: undefined },
    };
  }
}
