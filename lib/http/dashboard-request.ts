import { tokenFromAuthorizationHeader } from '../auth/authorization-header.js';

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

/** Reads the selection, token and `refresh` a dashboard request carries. */
export function dashboardOptionsFromRequest(
  url: string,
  headers: Record<string, string | string[] | undefined>,
  tokenName: string,
): DashboardRequestOptions {
  const params = new URL(url, 'http://localhost').searchParams;
  const kept = new URLSearchParams();
  for (const name of ['check', 'skip']) for (const value of params.getAll(name)) kept.append(name, value);
  // A token given in the header goes into links as the parameter, or the links would 403.
  const token = params.get(tokenName) ?? tokenFromAuthorizationHeader(headers.authorization);
  if (token) kept.set(tokenName, token);
  const refresh = Number(params.get('refresh'));
  const refreshSeconds = Number.isInteger(refresh) && refresh > 0
    ? Math.min(Math.max(refresh, MIN_REFRESH_SECONDS), MAX_REFRESH_SECONDS)
    : undefined;
  return { keptQuery: kept.toString(), refreshSeconds };
}
