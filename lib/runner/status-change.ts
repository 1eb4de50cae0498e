import type { WatchmanCheckOutcome, WatchmanCheckReport } from './check-result.js';

/** A check (or one alias of it) turned ok, or stopped being ok, between two runs. */
export interface WatchmanStatusChange {
  check: string;
  /** Set for one resource of a multi-resource check. */
  alias?: string;
  ok: boolean;
  previous: boolean;
  /** The failure, when it turned failed. */
  error?: string;
  at: Date;
}

/** The event name used with `@nestjs/event-emitter`. */
export const STATUS_CHANGED_EVENT = 'watchman.status-changed';

/** The flips between the previous and the new run of one check (none for a first run). */
export function statusChanges(
  previous: WatchmanCheckReport | undefined,
  next: WatchmanCheckReport,
): WatchmanStatusChange[] {
  if (!previous) return [];
  const changes: WatchmanStatusChange[] = [];
  const flip = (before: WatchmanCheckOutcome | undefined, after: WatchmanCheckOutcome, alias?: string) => {
    if (!before || before.ok === after.ok) return;
    changes.push({
      check: next.name,
      ...(alias === undefined ? {} : { alias }),
      ok: after.ok,
      previous: before.ok,
      ...(after.ok ? {} : { error: after.error }),
      at: after.measuredAt,
    });
  };
  if (next.aliases) {
    const before = new Map((previous.aliases ?? []).map((entry) => [entry.alias, entry.outcome]));
    for (const { alias, outcome } of next.aliases) flip(before.get(alias), outcome, alias);
    // A check that could not list its aliases has no alias outcomes: compare it as a whole.
    if (!previous.aliases) flip(previous.outcome, next.outcome);
  } else {
    flip(previous.outcome, next.outcome);
  }
  return changes;
}
