import type { WatchmanReport } from './check-result.js';

interface Entry {
  names: readonly string[];
  maxAge: number;
  fresh: boolean;
  version: number;
  until: number;
  report: WatchmanReport;
}

const SIZE = 8;

/**
 * The last reports built from reused or refreshed results, by the checks and options asked
 * for. One is given again while the results store has not moved (no run kept or stamped since)
 * and none of its results has reached a point where it would read differently: expired, due for
 * renewal, or stale. A probe asking the same thing thousands of times a second then costs a
 * lookup, not a report.
 */
export class ReadyReportMemo {
  private entries: Entry[] = [];

  /** The report kept for exactly this request, if it still holds at `now`. */
  get(
    names: readonly string[],
    maxAge: number,
    fresh: boolean,
    version: number,
    now: number,
  ): WatchmanReport | undefined {
    for (const entry of this.entries) {
      if (entry.maxAge !== maxAge || entry.fresh !== fresh || !sameNames(entry.names, names)) continue;
      return entry.version === version && now < entry.until ? entry.report : undefined;
    }
    return undefined;
  }

  /** Keeps a report until `until` or the next change of the store, whichever comes first. */
  set(entry: Entry): void {
    const others = this.entries.filter(
      (kept) => kept.maxAge !== entry.maxAge || kept.fresh !== entry.fresh || !sameNames(kept.names, entry.names),
    );
    this.entries = [entry, ...others.slice(0, SIZE - 1)];
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
