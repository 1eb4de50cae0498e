import { splitNames } from '../common/check-names.js';

/** What a request or CLI call asked for: `undefined` means "not given". */
export interface WatchmanCheckSelection {
  check?: readonly string[];
  skip?: readonly string[];
}

/**
 * The checks of `available` a selection runs, in their order. `check` keeps only the names it
 * lists (so an empty or unknown list selects nothing); `skip` then removes names.
 */
export function selectChecks(available: readonly string[], selection: WatchmanCheckSelection = {}): string[] {
  if (selection === NO_SELECTION || (selection.check === undefined && selection.skip === undefined)) {
    return [...available];
  }
  const wanted = selection.check === undefined ? undefined : new Set(splitNames(selection.check));
  const skipped = new Set(splitNames(selection.skip ?? []));
  return available.filter((name) => (wanted === undefined || wanted.has(name)) && !skipped.has(name));
}

// What a request without a query asks for (nearly every probe): nothing, read once.
const NO_SELECTION: WatchmanCheckSelection = Object.freeze({ check: undefined, skip: undefined });

/** Reads `check` and `skip` (and the probes' `exclude`, a synonym of `skip`) from a query. */
export function selectionFromQuery(query: URLSearchParams): WatchmanCheckSelection {
  if (query.size === 0) return NO_SELECTION;
  const skip = [...query.getAll('skip'), ...query.getAll('exclude')];
  return {
    check: query.has('check') ? query.getAll('check') : undefined,
    skip: query.has('skip') || query.has('exclude') ? skip : undefined,
  };
}
