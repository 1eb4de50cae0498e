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
  if (selection.check === undefined && selection.skip === undefined) return [...available];
  const wanted = selection.check === undefined ? undefined : new Set(splitNames(selection.check));
  const skipped = new Set(splitNames(selection.skip ?? []));
  return available.filter((name) => (wanted === undefined || wanted.has(name)) && !skipped.has(name));
}

/** Reads `check` and `skip` (and the probes' `exclude`, a synonym of `skip`) from a query. */
export function selectionFromQuery(query: URLSearchParams): WatchmanCheckSelection {
  const skip = [...query.getAll('skip'), ...query.getAll('exclude')];
  return {
    check: query.has('check') ? query.getAll('check') : undefined,
    skip: query.has('skip') || query.has('exclude') ? skip : undefined,
  };
}
