import type { WatchmanReport } from '../runner/check-result.js';
import type { WatchmanHistory } from '../runner/check.history.js';
import type { DashboardRequestOptions } from './dashboard-request.js';

/** Everything the page is drawn from. */
export interface DashboardInput extends DashboardRequestOptions {
  report: WatchmanReport | undefined;
  history: WatchmanHistory;
  version?: string;
  stacktraces: boolean;
}

/** Placeholder replaced by the full dashboard. */
export function renderDashboard(input: DashboardInput): { html: string; contentSecurityPolicy: string } {
  return { html: `<!doctype html><title>watchman</title><p>${input.report?.ok ? 'ok' : 'failing'}</p>`, contentSecurityPolicy: "default-src 'none'" };
}
