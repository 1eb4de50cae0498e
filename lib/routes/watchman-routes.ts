import { Inject, Injectable } from '@nestjs/common';
import { WatchmanCheckRegistry } from '../checks/check.registry.js';
import { dashboardOptionsFromQuery } from '../formats/dashboard-request.js';
import { renderDashboardResponse } from '../formats/dashboard.html.js';
import { renderHealthJson, wantsHealthJson } from '../formats/health-json.format.js';
import { renderJson, renderNoChecks } from '../formats/json.format.js';
import { splitNames } from '../common/check-names.js';
import { type ProbeKind, renderProbe, renderUnknownChecks, shownName } from '../formats/probe.format.js';
import { type WatchmanResponse, textResponse } from '../formats/watchman-response.js';
import { WatchmanLifecycle } from '../lifecycle/watchman.lifecycle.js';
import { WatchmanMetrics } from '../metrics/watchman.metrics.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WatchmanHistory } from '../runner/check.history.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { selectChecks, selectionFromQuery } from '../runner/selection.js';
import { VERSION_HEADER, WATCHMAN_CONFIG, WATCHMAN_VERSION } from '../watchman.constants.js';
import { type RouteRequest, isOn } from './route-request.js';
import { type WatchmanRouteName, routeNamed, siblingPath } from './route-table.js';

const PONG = textResponse(200, 'pong');

/**
 * The one route core every door answers through (the Nest controller on Express and Fastify,
 * the probe port): pick the checks, ask the runner, hand the report to a renderer, add the
 * headers every watchman answer carries. Doors only translate requests and write answers.
 */
@Injectable()
export class WatchmanRoutes {
  private readonly handlers: Record<WatchmanRouteName, (request: RouteRequest) => Promise<WatchmanResponse>> = {
    status: (request) => this.status(request),
    check: (request) => this.status(request, request.params.check),
    dashboard: (request) => this.dashboard(request),
    metrics: (request) => this.metricsRoute(request),
    ping: async () => PONG,
    bare: (request) => this.bare(request),
    live: (request) => this.probe('live', request),
    ready: (request) => this.probe('ready', request),
  };

  constructor(
    private readonly runner: WatchmanRunner,
    private readonly registry: WatchmanCheckRegistry,
    private readonly history: WatchmanHistory,
    private readonly lifecycle: WatchmanLifecycle,
    private readonly metrics: WatchmanMetrics,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  /** The answer of one route, with the headers of every watchman response. */
  async answer(name: WatchmanRouteName, request: RouteRequest): Promise<WatchmanResponse> {
    return this.withHeaders(await this.handlers[name](request), routeNamed(name).versioned);
  }

  /** Adds what every watchman answer carries: no caching, no sniffing, the version where due. */
  withHeaders(answer: WatchmanResponse, versioned: boolean): WatchmanResponse {
    const headers: Record<string, string> = {
      ...answer.headers,
      'Cache-Control': 'no-cache, no-store',
      'X-Content-Type-Options': 'nosniff',
    };
    if (versioned && this.config.exposeVersion) headers[VERSION_HEADER] = WATCHMAN_VERSION;
    // During shutdown every answer closes its connection, so keep-alive pollers let the server close.
    if (this.lifecycle.shuttingDown) headers.Connection = 'close';
    return { ...answer, headers };
  }

  private async status({ query, accept }: RouteRequest, only?: string): Promise<WatchmanResponse> {
    const selection = selectionFromQuery(query);
    const names = this.runner.select(only === undefined ? selection : { ...selection, check: [only] });
    if (names.length === 0) return renderNoChecks();
    const report = await this.runner.runNames(names);
    if (wantsHealthJson(accept, query.get('format'))) {
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

  private async dashboard({ query, path }: RouteRequest): Promise<WatchmanResponse> {
    const names = this.runner.select(selectionFromQuery(query));
    const report = names.length > 0 ? await this.runner.runNames(names) : undefined;
    return renderDashboardResponse({
      report,
      history: this.history,
      title: this.config.dashboardTitle,
      version: this.config.exposeVersion ? WATCHMAN_VERSION : undefined,
      stacktraces: this.config.stacktraces,
      jsonPath: siblingPath(path, 'dashboard', 'status'),
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

  private async bare(request: RouteRequest): Promise<WatchmanResponse> {
    if (this.lifecycle.shuttingDown) return textResponse(503, '');
    const names = this.openSelection(this.runner.configuredChecks(), request);
    const ok = names.length === 0 || (await this.runner.runNames(names, this.openRun(request))).ok;
    return textResponse(ok ? 200 : this.config.errorCode, '');
  }

  private async probe(kind: ProbeKind, request: RouteRequest): Promise<WatchmanResponse> {
    const verbose = isOn(request.query, 'verbose');
    const view = { kind, verbose, reasons: request.authenticated, names: this.showNames(request) };
    if (this.lifecycle.shuttingDown) {
      // Liveness stays up while the app drains; readiness drops at once, running nothing.
      return renderProbe(kind === 'live' ? view : { ...view, blockers: ['shutdown in progress'] });
    }
    const available = kind === 'live' ? this.registry.liveChecks() : this.registry.readyChecks();
    const selection = selectionFromQuery(request.query);
    // A mistyped probe must fail, not pass on running nothing.
    const unknown = splitNames(selection.check ?? []).filter((name) => !available.includes(name));
    if (unknown.length > 0) return renderUnknownChecks(unknown, verbose);
    const warnings = splitNames(selection.skip ?? [])
      .filter((name) => !available.includes(name))
      .map((name) => `unknown check ${shownName(name)}`);
    const names = this.openSelection(available, request);
    const report = names.length > 0 ? await this.runner.runNames(names, this.openRun(request)) : undefined;
    return renderProbe({ ...view, report, warnings });
  }

  private showNames(request: RouteRequest): boolean {
    return this.config.verboseNames === 'everyone' || request.authenticated;
  }

  // An anonymous caller shares the results of the last `openRouteTtl` ms: it cannot drive a
  // check more often than that.
  private openRun(request: RouteRequest): { maxAge?: number } {
    return request.authenticated ? {} : { maxAge: this.config.openRouteTtl };
  }

  // The open routes never run a paid check for a caller who has not proved who it is.
  private openSelection(available: readonly string[], { query, authenticated }: RouteRequest): string[] {
    const names = selectChecks(available, selectionFromQuery(query));
    return authenticated ? names : names.filter((name) => !this.registry.get(name)?.paid);
  }
}
