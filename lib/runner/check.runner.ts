import { Inject, Injectable, Logger } from '@nestjs/common';
import { type WatchmanMultiCheckable, isMultiCheck } from '../checks/check.interface.js';
import { WatchmanCheckExplorer } from '../checks/check.explorer.js';
import { type RegisteredCheck, WatchmanCheckRegistry } from '../checks/check.registry.js';
import { WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import type { WatchmanConfig } from '../watchman.options.js';
import { type AliasReport, type CheckOutcome, type CheckReport, type WatchmanReport, failureOutcome } from './check-result.js';
import { WatchmanHistory } from './check.history.js';
import { runWithTimeout } from './run-with-timeout.js';
import { type CheckSelection, selectChecks } from './selection.js';

/**
 * Runs checks: all selected checks (and every alias) concurrently, each under
 * `checkTimeout`; concurrent callers asking for the same set share one run; with `cacheTtl`
 * the last report of a set is reused. HTTP routes and the CLI are thin layers over this.
 */
@Injectable()
export class WatchmanRunner {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private readonly inFlight = new Map<string, Promise<WatchmanReport>>();
  private readonly recent = new Map<string, { report: WatchmanReport; expiresAt: number }>();

  constructor(
    private readonly registry: WatchmanCheckRegistry,
    private readonly explorer: WatchmanCheckExplorer,
    private readonly history: WatchmanHistory,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  /** The checks run when nothing narrower is asked for. */
  configuredChecks(): readonly string[] {
    return this.explorer.configuredChecks();
  }

  /** The configured checks a `?check=` / `?skip=` selection keeps. */
  select(selection: CheckSelection = {}): string[] {
    return selectChecks(this.configuredChecks(), selection);
  }

  /** Runs the selected checks (all configured ones by default). */
  run(selection: CheckSelection = {}): Promise<WatchmanReport> {
    return this.runNames(this.select(selection));
  }

  /** Runs exactly these registered checks, sharing an in-flight or recent run of the same set. */
  runNames(names: readonly string[]): Promise<WatchmanReport> {
    const key = [...new Set(names)].sort().join(',');
    const recent = this.recent.get(key);
    if (recent && recent.expiresAt > Date.now()) return Promise.resolve(recent.report);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const run = this.execute(key === '' ? [] : key.split(',')).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, run);
    return run;
  }

  private async execute(names: string[]): Promise<WatchmanReport> {
    const measuredAt = new Date();
    const startedAt = performance.now();
    const checks = await Promise.all(names.map((name) => this.runCheck(name)));
    const report: WatchmanReport = {
      ok: checks.every((check) => check.outcome.ok),
      checks,
      measuredAt,
      durationMs: Math.round((performance.now() - startedAt) * 100) / 100,
    };
    this.history.record(report);
    this.log(report);
    if (this.config.cacheTtl > 0) this.recent.set(names.join(','), { report, expiresAt: Date.now() + this.config.cacheTtl });
    return report;
  }

  private async runCheck(name: string): Promise<CheckReport> {
    const check = this.registry.get(name);
    if (!check) {
      return { name, outcome: failureOutcome(new Error(`no check named ${JSON.stringify(name)}`), performance.now(), new Date()) };
    }
    return isMultiCheck(check.instance) ? this.runMulti(check) : { name, outcome: await this.runSingle(check) };
  }

  private runSingle(check: RegisteredCheck): Promise<CheckOutcome> {
    const instance = check.instance as { check(signal: AbortSignal): unknown };
    return runWithTimeout((signal) => instance.check(signal), this.config.checkTimeout);
  }

  private async runMulti(check: RegisteredCheck): Promise<CheckReport> {
    const instance = check.instance as WatchmanMultiCheckable;
    let aliases: string[] = [];
    const listing = await runWithTimeout(async () => {
      aliases = [...new Set((await instance.aliases()).map(String))].sort();
    }, this.config.checkTimeout);
    if (!listing.ok) return { name: check.name, outcome: listing };
    const reports: AliasReport[] = await Promise.all(aliases.map(async (alias) => ({
      alias,
      outcome: await runWithTimeout((signal) => instance.checkAlias(alias, signal), this.config.checkTimeout),
    })));
    const failed = reports.filter((report) => !report.outcome.ok);
    const outcome: CheckOutcome = {
      ok: failed.length === 0,
      error: failed.length ? failed.map((report) => `${report.alias}: ${report.outcome.error}`).join('; ') : undefined,
      details: {},
      durationMs: Math.max(listing.durationMs, ...reports.map((report) => report.outcome.durationMs)),
      measuredAt: listing.measuredAt,
    };
    return { name: check.name, outcome, aliases: reports };
  }

  // Once per run, however many requests shared it.
  private log(report: WatchmanReport): void {
    for (const check of report.checks) {
      if (!check.outcome.ok) this.logger.error(`check ${check.name} failed: ${check.outcome.error}`);
      this.logger.debug(`check ${check.name}: ${check.outcome.ok ? 'ok' : 'failed'} in ${check.outcome.durationMs} ms`);
    }
  }
}
