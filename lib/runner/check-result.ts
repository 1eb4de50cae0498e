import { WatchmanCheckError } from '../checks/check-error.js';
import { describeError } from '../common/error-like.js';
import { redactUrls } from '../common/redact.js';
import { trimOwnFrames } from '../common/stack-trim.js';

/** The outcome of one check or alias, as kept internally (every output format is derived from it). */
export interface WatchmanCheckOutcome {
  ok: boolean;
  error?: string;
  stacktrace?: string;
  /** Extra fields the check returned (or attached to its error as `details`), merged into its JSON. */
  details: Record<string, unknown>;
  durationMs: number;
  measuredAt: Date;
  timedOut?: boolean;
}

/** One alias of a multi-resource check. */
export interface WatchmanAliasReport {
  alias: string;
  outcome: WatchmanCheckOutcome;
}

/** One check: its outcome, plus its aliases for multi-resource checks. */
export interface WatchmanCheckReport {
  name: string;
  /** A non-critical failure shows but leaves the status ok. */
  critical: boolean;
  /** Overall outcome; for a multi-resource check, ok only when every alias is. */
  outcome: WatchmanCheckOutcome;
  /** Present for multi-resource checks whose aliases could be listed (empty: none is configured). */
  aliases?: WatchmanAliasReport[];
  /**
   * Only for a fleet-scoped check: `fleet` when this is the fleet's shared run, `local` when
   * this instance ran it itself because the fleet's Redis did not answer.
   */
  scope?: 'fleet' | 'local';
  /** Only for a fleet-scoped check: the instance that ran it (the `instance` option, `hostname-pid` by default). */
  by?: string;
}

/** `pass`: all ok; `warn`: only non-critical checks failed; `fail`: a critical one failed. */
export type WatchmanStatus = 'pass' | 'warn' | 'fail';

/** A whole run, checks sorted by name. */
export interface WatchmanReport {
  /** False only when a critical check failed. */
  ok: boolean;
  status: WatchmanStatus;
  checks: WatchmanCheckReport[];
  measuredAt: Date;
  durationMs: number;
}

/** Turns what a check returned into an outcome. */
export function successOutcome(value: unknown, startedAt: number, measuredAt: Date): WatchmanCheckOutcome {
  const details: Record<string, unknown> = isPlainObject(value)
    ? { ...value }
    : value === undefined || value === null
      ? {}
      : { value };
  if (details.ok === false) {
    const error = typeof details.error === 'string' && details.error ? details.error : 'check reported ok: false';
    delete details.ok;
    delete details.error;
    return { ok: false, error, details, durationMs: elapsed(startedAt), measuredAt };
  }
  delete details.ok;
  return { ok: true, details, durationMs: elapsed(startedAt), measuredAt };
}

/**
 * Turns anything thrown (Error or not) into a failed outcome that always has a message. Every
 * output (JSON, dashboard, logs, CLI) starts here, so this is where a URL's secrets are hidden
 * (a driver's message often repeats its connection URL) and watchman's own frames leave the stack.
 */
export function failureOutcome(thrown: unknown, startedAt: number, measuredAt: Date): WatchmanCheckOutcome {
  const { error, stacktrace } = describeError(thrown);
  return {
    ok: false,
    error: redactUrls(error),
    stacktrace: redactUrls(trimOwnFrames(stacktrace)),
    details: thrown instanceof WatchmanCheckError ? { ...thrown.details } : {},
    durationMs: elapsed(startedAt),
    measuredAt,
  };
}

/** The one rule: ok → pass; a failure of a non-critical check → warn; any other failure → fail. */
export function outcomeStatus(outcome: Pick<WatchmanCheckOutcome, 'ok'>, critical: boolean): WatchmanStatus {
  if (outcome.ok) return 'pass';
  return critical ? 'fail' : 'warn';
}

/** The overall status of some checks: the worst of theirs. */
export function statusOf(checks: readonly WatchmanCheckReport[]): WatchmanStatus {
  let status: WatchmanStatus = 'pass';
  for (const check of checks) {
    const own = outcomeStatus(check.outcome, check.critical);
    if (own === 'fail') return 'fail';
    if (own === 'warn') status = 'warn';
  }
  return status;
}

/** Milliseconds since `startedAt` (a `performance.now()`), to 0.01 ms. */
export function elapsed(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 100) / 100;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
