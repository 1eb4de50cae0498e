import { splitNames } from '../common/check-names.js';

/** Auto-refresh bounds in seconds: fast enough to watch, slow enough not to become a probe storm. */
export const MIN_REFRESH_SECONDS = 5;
export const MAX_REFRESH_SECONDS = 3600;

/** What the dashboard takes from its request: the query its links must keep, and the refresh. */
export interface DashboardRequestOptions {
  /** `check` / `skip` / token parameters, to append to the page's own links. */
  keptQuery: string;
  /** Seconds between reloads, if asked for and valid. */
  refreshSeconds?: number;
}

/**
 * Reads the selection, token and `refresh` of a dashboard request. Links keep only names of
 * configured checks (whatever else the query held is dropped), and only a token that came as
 * the query parameter: a token sent in the header never ends up in a URL.
 */
export function dashboardOptionsFromQuery(
  query: URLSearchParams,
  configured: readonly string[],
  tokenName: string,
): DashboardRequestOptions {
  const kept = new URLSearchParams();
  const known = new Set(configured);
  for (const name of ['check', 'skip']) {
    if (!query.has(name)) continue;
    const names = [...new Set(splitNames(query.getAll(name)))].filter((check) => known.has(check));
    // An explicit `?check=` that named nothing configured still selects nothing.
    if (names.length === 0 && name === 'check') kept.append(name, '');
    for (const check of names) kept.append(name, check);
  }
  const token = query.get(tokenName);
  if (token) kept.set(tokenName, token);
  const refresh = Number(query.get('refresh'));
  const refreshSeconds =
    Number.isInteger(refresh) && refresh > 0
      ? Math.min(Math.max(refresh, MIN_REFRESH_SECONDS), MAX_REFRESH_SECONDS)
      : undefined;
  return { keptQuery: kept.toString(), refreshSeconds };
}
