import { type WatchmanCheckReport, type WatchmanStatus, outcomeStatus, statusOf } from '../runner/check-result.js';
import type { WatchmanStatusChange } from '../runner/status-change.js';

/** One flip in a webhook message. */
export interface WatchmanWebhookChange {
  check: string;
  alias?: string;
  ok: boolean;
  previous: boolean;
  /** The failure, when it turned failed. */
  error?: string;
  /**
   * This check's own status now: `pass` (with `previous: false`: restored), `warn` (a
   * non-critical check failed) or `fail` (a critical one failed).
   */
  status: WatchmanStatus;
}

/**
 * The JSON body the webhook publisher POSTs on status changes: the overall status of the
 * configured checks once these changes happened, the changes, when (ISO 8601), and which
 * instance (`instance` option) says so.
 */
export interface WatchmanWebhookMessage {
  status: WatchmanStatus;
  changed: WatchmanWebhookChange[];
  at: string;
  instance: string;
}

/** The message for some changes, given the latest report of each configured check. */
export function webhookMessage(
  changes: readonly WatchmanStatusChange[],
  latest: readonly WatchmanCheckReport[],
  critical: (check: string) => boolean,
  instance: string,
): WatchmanWebhookMessage {
  const at = Math.max(...changes.map((change) => change.at.getTime()));
  return {
    status: statusOf(latest),
    changed: changes.map(({ check, alias, ok, previous, error }) => ({
      check,
      ...(alias === undefined ? {} : { alias }),
      ok,
      previous,
      ...(error === undefined ? {} : { error }),
      status: outcomeStatus({ ok }, critical(check)),
    })),
    at: new Date(at).toISOString(),
    instance,
  };
}
