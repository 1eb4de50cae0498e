import { DOTTED_PREFIX } from '../watchman.constants.js';

// django's module paths for its built-ins, accepted as well as the short names.
const DJANGO_NAMES: Record<string, string> = { email_status: 'email' };

/** `watchman.checks.databases` → `databases`; short names pass through. */
export function normalizeCheckName(name: string): string {
  const trimmed = name.trim();
  const short = trimmed.startsWith(DOTTED_PREFIX) ? trimmed.slice(DOTTED_PREFIX.length) : trimmed;
  return DJANGO_NAMES[short] ?? short;
}

/** What a request or CLI call asked for: `undefined` means "not given". */
export interface CheckSelection {
  check?: readonly string[];
  skip?: readonly string[];
}

/**
 * The configured checks a selection runs, in configured order. `check` keeps only the
 * names it lists (so an empty or unknown list selects nothing); `skip` then removes names.
 */
export function selectChecks(configured: readonly string[], selection: CheckSelection = {}): string[] {
  const wanted = selection.check === undefined ? undefined : new Set(splitNames(selection.check));
  const skipped = new Set(splitNames(selection.skip ?? []));
  return configured.filter((name) => (wanted === undefined || wanted.has(name)) && !skipped.has(name));
}

/** Values of repeated parameters, each of which may itself be a comma list. */
export function splitNames(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(',')).map(normalizeCheckName).filter((name) => name !== '');
}

/** Reads `check` / `skip` from a request URL; absent parameters stay undefined. */
export function selectionFromUrl(url: string): CheckSelection {
  const params = new URL(url, 'http://localhost').searchParams;
  return {
    check: params.has('check') ? params.getAll('check') : undefined,
    skip: params.has('skip') ? params.getAll('skip') : undefined,
  };
}
