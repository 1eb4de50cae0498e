import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WatchmanApmService } from '../apm/apm.service.js';
import { isAuthenticated } from '../auth/watchman-auth.guard.js';
import { WatchmanCheckRegistry } from '../checks/check.registry.js';
import { type WatchmanRequest, headerValue, requestQuery, requestUrl } from '../common/http-request.js';
import { dashboardOptionsFromQuery } from '../formats/dashboard-request.js';
import { renderDashboardResponse } from '../formats/dashboard.html.js';
import { renderHealthJson, wantsHealthJson } from '../formats/health-json.format.js';
import { renderJson, renderNoChecks } from '../formats/json.format.js';
import { type ProbeKind, renderProbe, renderShuttingDown } from '../formats/probe.format.js';
import { type WatchmanResponse, textResponse } from '../formats/watchman-response.js';
import { WatchmanLifecycle } from '../lifecycle/watchman.lifecycle.js';
import { WatchmanMetrics } from '../metrics/watchman.metrics.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WatchmanHistory } from '../runner/check.history.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { selectChecks, selectionFromQuery } from '../runner/selection.js';
import { VERSION_HEADER, WATCHMAN_CONFIG, WATCHMAN_VERSION } from '../watchman.constants.js';
import { writeResponse } from './response-writer.js';
import { WATCHMAN_ROUTES, type WatchmanRouteName, siblingPath } from './routes.js';

/** What a route handler gets to decide its answer (read lazily: `ping` needs none of it). */
class RouteRequest {
  constructor(readonly request: WatchmanRequest) {}

  get query(): URLSearchParams {
    return requestQuery(this.request);
  }

  /** The caller proved who it is (valid token, or the app's authGuard let it in). */
  get authenticated(): boolean {
    return isAuthenticated(this.request);
  }
}

const ROUTES = new Map(WATCHMAN_ROUTES.map((route) => [route.name, route]));
const PONG = textResponse(200, 'pong');

/**
 * The routes' behaviour, written once against Nest's HTTP adapter (Express and Fastify): pick
 * the checks, ask the runner, hand the report to a renderer, write the answer with the
 * headers every watchman response carries.
 */
@Injectable()
export class WatchmanHttpService {
  private readonly handlers: Record<
    WatchmanRouteName,
    (route: RouteRequest) => WatchmanResponse | Promise<WatchmanResponse>
  > = {
    status: (route) => this.status(route),
    dashboard: (route) => this.dashboard(route),
    metrics: (route) => this.metricsRoute(route),
    ping: () => PONG,
    bare: (route) => this.bare(route),
    live: (route) => this.probe('live', route),
    ready: (route) => this.probe('ready', route),
  };

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly runner: WatchmanRunner,
    private readonly registry: WatchmanCheckRegistry,
    private readonly history: WatchmanHistory,
    private readonly lifecycle: WatchmanLifecycle,
    private readonly metrics: WatchmanMetrics,
    private readonly apm: WatchmanApmService,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  /** Answers one route. */
  async handle(name: WatchmanRouteName, request: WatchmanRequest, response: unknown): Promise<void> {
    this.apm.ignoreCurrentRequest();
    const answer = await this.handlers[name](new RouteRequest(request));
    this.write(response, answer, ROUTES.get(name)?.versioned ?? false);
  }

  /** Writes an answer with the headers of every watchman response. */
  write(response: unknown, answer: WatchmanResponse, versioned: boolean): void {
    const headers: Record<string, string> = {
      ...answer.headers,
      'Cache-Control': 'no-cache, no-store',
      'X-Content-Type-Options': 'nosniff',
    };
    if (versioned && this.config.exposeVersion) headers[VERSION_HEADER] = WATCHMAN_VERSION;
    // During shutdown every answer closes its connection, so keep-alive pollers let the server close.
    if (this.lifecycle.shuttingDown) headers.Connection = 'close';
    writeResponse(this.adapterHost.httpAdapter.getType(), response, { ...answer, headers });
  }

  private async status({ request, query }: RouteRequest): Promise<WatchmanResponse> {
    const names = this.runner.select(selectionFromQuery(query));
    if (names.length === 0) return renderNoChecks();
    const report = await this.runner.runNames(names);
    if (wantsHealthJson(headerValue(request, 'accept'), query.get('format'))) {
      const version = this.config.exposeVersion ? WATCHMAN_VERSION : undefined;
      return renderHealthJson(
        report,
        (check) => this.registry.get(check)?.componentType ?? 'component',
        this.config.errorCode,
        version,
      );
    }
    return renderJson(report, this.config.stacktraces, this.config.errorCode);
  }

  private async dashboard({ request, query }: RouteRequest): Promise<WatchmanResponse> {
    const names = this.runner.select(selectionFromQuery(query));
    const report = names.length > 0 ? await this.runner.runNames(names) : undefined;
    return renderDashboardResponse({
      report,
      history: this.history,
      title: this.config.dashboardTitle,
      version: this.config.exposeVersion ? WATCHMAN_VERSION : undefined,
      stacktraces: this.config.stacktraces,
      jsonPath: siblingPath(new URL(requestUrl(request), 'http://localhost').pathname, 'dashboard', 'status'),
      ...dashboardOptionsFromQuery(query, this.runner.configuredChecks(), this.config.tokenName),
    });
  }

  private async metricsRoute({ query }: RouteRequest): Promise<WatchmanResponse> {
    if (!(await this.metrics.available())) {
      return textResponse(501, 'Prometheus metrics need the prom-client package: npm install prom-client\n');
    }
    // A scrape runs the checks like a JSON request (shared, cached or from the refresh); the
    // metrics are updated by the runs themselves.
    const names = this.runner.select(selectionFromQuery(query));
    if (names.length > 0) await this.runner.runNames(names);
    return this.metrics.render();
  }

  private async bare(route: RouteRequest): Promise<WatchmanResponse> {
    if (this.lifecycle.shuttingDown) return textResponse(503, '');
    const names = this.openSelection(this.runner.configuredChecks(), route);
    const ok = names.length === 0 || (await this.runner.runNames(names)).ok;
    return textResponse(ok ? 200 : this.config.errorCode, '');
  }

  private async probe(kind: ProbeKind, route: RouteRequest): Promise<WatchmanResponse> {
    const verbose = isOn(route.query, 'verbose');
    if (this.lifecycle.shuttingDown) {
      // Liveness stays up while the app drains; readiness drops at once.
      return kind === 'live' ? renderProbe(kind, undefined, verbose, false) : renderShuttingDown(kind, verbose);
    }
    const available = kind === 'live' ? this.registry.liveChecks() : this.registry.readyChecks();
    const names = this.openSelection(available, route);
    const report = names.length > 0 ? await this.runner.runNames(names) : undefined;
    return renderProbe(kind, report, verbose, route.authenticated);
  }

  // The open routes never run a paid check for a caller who has not proved who it is.
  private openSelection(available: readonly string[], { query, authenticated }: RouteRequest): string[] {
    const names = selectChecks(available, selectionFromQuery(query));
    return authenticated ? names : names.filter((name) => !this.registry.get(name)?.paid);
  }
}

function isOn(query: URLSearchParams, name: string): boolean {
  if (!query.has(name)) return false;
  return !['0', 'false', 'no', 'off'].includes((query.get(name) ?? '').toLowerCase());
}
