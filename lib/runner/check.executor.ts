import { WatchmanTimeoutError } from '../checks/check-error.js';
import { type WatchmanMultiCheckable, isMultiCheck } from '../checks/check.interface.js';
import type { WatchmanRegisteredCheck } from '../checks/check.registry.js';
import { within } from '../common/race.js';
import {
  type WatchmanAliasReport,
  type WatchmanCheckOutcome,
  type WatchmanCheckReport,
  failureOutcome,
  successOutcome,
} from './check-result.js';

/**
 * Runs one check once: a single resource under the check's timeout, or every alias of a
 * multi-resource check concurrently, each under its own. Knows nothing of sharing, caching or
 * who asked.
 */
export async function executeCheck(check: WatchmanRegisteredCheck): Promise<WatchmanCheckReport> {
  const { name, critical, instance, timeout } = check;
  if (!isMultiCheck(instance)) {
    return { name, critical, outcome: await runWithTimeout((signal) => instance.check(signal), timeout) };
  }
  return executeMulti(check, instance);
}

/** The report of a name no check is registered under. */
export function missingCheck(name: string): WatchmanCheckReport {
  const error = new Error(`no check named ${JSON.stringify(name)}`);
  return { name, critical: true, outcome: failureOutcome(error, performance.now(), new Date()) };
}

/**
 * One unit of check work under a deadline. The work gets an AbortSignal that fires at the
 * timeout (so it can cancel what it started); a late result or rejection is discarded.
 */
export async function runWithTimeout(
  work: (signal: AbortSignal) => unknown,
  timeoutMs: number,
): Promise<WatchmanCheckOutcome> {
  const measuredAt = new Date();
  const startedAt = performance.now();
  const controller = new AbortController();
  const attempt = (async () => work(controller.signal))().then(
    (value) => successOutcome(value, startedAt, measuredAt),
    (error: unknown) => failureOutcome(error, startedAt, measuredAt),
  );
  return within(attempt, timeoutMs, (): WatchmanCheckOutcome => {
    const error = new WatchmanTimeoutError(timeoutMs);
    controller.abort(error);
    return { ...failureOutcome(error, startedAt, measuredAt), stacktrace: undefined, timedOut: true };
  });
}

async function executeMulti(
  check: WatchmanRegisteredCheck,
  instance: WatchmanMultiCheckable,
): Promise<WatchmanCheckReport> {
  let aliases: string[] = [];
  const listing = await runWithTimeout(async () => {
    aliases = [...new Set((await instance.aliases()).map(String))].sort();
  }, check.timeout);
  if (!listing.ok) return { name: check.name, critical: check.critical, outcome: listing };
  const reports: WatchmanAliasReport[] = await Promise.all(
    aliases.map(async (alias) => ({
      alias,
      outcome: await runWithTimeout((signal) => instance.checkAlias(alias, signal), check.timeout),
    })),
  );
  return { name: check.name, critical: check.critical, outcome: combined(listing, reports), aliases: reports };
}

/** A multi-resource check as a whole: ok when every alias is, failing with each failure named. */
export function combined(listing: WatchmanCheckOutcome, reports: readonly WatchmanAliasReport[]): WatchmanCheckOutcome {
  const failed = reports.filter((report) => !report.outcome.ok);
  return {
    ok: failed.length === 0,
    error: failed.length ? failed.map((report) => `${report.alias}: ${report.outcome.error}`).join('; ') : undefined,
    details: {},
    durationMs: Math.max(listing.durationMs, ...reports.map((report) => report.outcome.durationMs)),
    measuredAt: listing.measuredAt,
  };
}
