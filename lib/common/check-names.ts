/** django's dotted prefix, accepted wherever a check name is. */
export const DOTTED_PREFIX = 'watchman.checks.';

// django's module paths for its built-ins, accepted as well as the short names.
const DJANGO_NAMES = new Map([['email_status', 'email']]);

/** `watchman.checks.databases` → `databases`; short names pass through. */
export function normalizeCheckName(name: string): string {
  const trimmed = name.trim();
  const short = trimmed.startsWith(DOTTED_PREFIX) ? trimmed.slice(DOTTED_PREFIX.length) : trimmed;
  return DJANGO_NAMES.get(short) ?? short;
}

/** Values of repeated parameters, each of which may itself be a comma list; normalized, empty ones dropped. */
export function splitNames(values: readonly string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map(normalizeCheckName)
    .filter((name) => name !== '');
}

/** Splits a comma list (or trims an array), dropping empty entries. */
export function toList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const parts = typeof value === 'string' ? value.split(',') : value;
  return parts.map((part) => String(part).trim()).filter((part) => part !== '');
}
