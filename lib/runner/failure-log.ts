/** How often a check that stays failed is logged again (once a minute). */
export const FAILURE_LOG_REPEAT_MS = 60_000;

/** What the failure log remembers of one check. */
export interface FailureLogState {
  /** When the last line about this failure was written (ms, any monotonic clock). */
  loggedAt: number;
  /** Failed runs since the check started failing. */
  failedRuns: number;
}

/** The line to write for a run, if any. */
export type FailureLogLine =
  { kind: 'failed' } | { kind: 'still-failing'; failedRuns: number } | { kind: 'recovered'; failedRuns: number };

/**
 * The log rule of one check, a pure function so it is tested with explicit timestamps: a
 * line when the check starts failing, one when it recovers, and while it stays failed at most
 * one every `repeatMs` (a failing check on a 1 s refresh wrote 86,400 lines a day).
 * `state` is undefined while the check passes.
 */
export function nextFailureLog(
  state: FailureLogState | undefined,
  ok: boolean,
  now: number,
  repeatMs = FAILURE_LOG_REPEAT_MS,
): { line?: FailureLogLine; state?: FailureLogState } {
  if (ok) return state ? { line: { kind: 'recovered', failedRuns: state.failedRuns } } : {};
  if (!state) return { line: { kind: 'failed' }, state: { loggedAt: now, failedRuns: 1 } };
  const failedRuns = state.failedRuns + 1;
  if (now - state.loggedAt >= repeatMs) {
    return { line: { kind: 'still-failing', failedRuns }, state: { loggedAt: now, failedRuns } };
  }
  return { state: { ...state, failedRuns } };
}
