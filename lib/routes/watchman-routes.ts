import { Inject, Injectable } from '@nestjs/common';
import { WatchmanCheckRegistry } from '../checks/check.registry.js';
import { dashboardOptionsFromQuery } from '../formats/dashboard-request.js';
import { renderDashboardResponse } from '../formats/dashboard.html.js';
import { renderHealthJson, wantsHealthJson } from '../formats/health-json.format.js';
import { renderJson, renderNoChecks } from '../formats/json.format.js';
import { splitNames } from '../common/check-names.js';
import { thenOrNow } from '../common/maybe-async.js';
import {
  type ProbeKind,
  type ProbeView,
  renderProbe,
  renderUnknownChecks,
  shownName,
} from '../formats/probe.format.js';
import { type WatchmanResponse, httpStatusOf, jsonResponse, textResponse } from '../formats/watchman-response.js';
import { WatchmanStartupLatch } from '../lifecycle/startup.latch.js';
import { AVAILABILITY, WatchmanAvailability } from '../lifecycle/watchman.availability.js';
import { WatchmanLifecycle } from '../lifecycle/watchman.lifecycle.js';
import { WatchmanMetrics } from '../metrics/watchman.metrics.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { type WatchmanReport, statusOf } from '../runner/check-result.js';
import { WatchmanHistory } from '../runner/check.history.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { type WatchmanCheckSelection, selectChecks, selectionFromQuery } from '../runner/selection.js';
import { VERSION_HEADER, WATCHMAN_CONFIG, WATCHMAN_VERSION } from '../watchman.constants.js';
import { AnswerMemo } from './answer-memo.js';
import { type RouteRequest, isOn } from './route-request.js';
import { type WatchmanRouteName, routeNamed, siblingPath } from './route-table.js';

const PONG = Object.freeze(textResponse(200, 'pong'));

/** A route's answer: ready, or to wait for. */
export type Answer = WatchmanResponse | Promise<WatchmanResponse>;

/**
 * The one route core every door answers through (the Nest controller on Express and Fastify,
 * the probe port): pick the checks, ask the runner, hand the report to a renderer, add the
 * headers every watchman answer carries. Doors only translate requests and write answers.
 * (Longer than most files on purpose: every route's rules — who may run what, which checks a
 * probe waits for, what shutdown and availability change — read together in one place, and
 * each handler is a few lines over the renderers in formats/.)
 */
@Injectable()
export class WatchmanRoutes {
  private readonly handlers: Record<WatchmanRouteName, (request: RouteRequest) => Answer> = {
    status: (request) => this.status(request),
    check: (request) => this.status(request, request.params.check),
    dashboard: (request) => this.dashboard(request),
    metrics: (request) => this.metricsRoute(request),
    ping: () => PONG,
    bare: (request) => this.bare(request),
    live: (request) => this.probe('live', request),
    ready: (request) => this.probe('ready', request),
    startup: (request) => this.probe('startup', request),
    group: (request) => this.group(request),
    bareGroup: (request) => this.bare(request, request.params.group),
    liveCheck: (request) => this.probe('live', request, request.params.check),
    readyCheck: (request) => this.probe('ready', request, request.params.check),
    startupCheck: (request) => this.probe('startup', request, request.params.check),
  };

  // A constant answer (ping's, or one rendered before from the same results) gets its final
  // headers once, not on every request: one map for routes without the version header, one with.
  private readonly finished = [
    new WeakMap<WatchmanResponse, WatchmanResponse>(),
    new WeakMap<WatchmanResponse, WatchmanResponse>(),
  ];
  private readonly rendered = new AnswerMemo();

  constructor(
    private readonly runner: WatchmanRunner,
    private readonly registry: WatchmanCheckRegistry,
    private readonly history: WatchmanHistory,
    private readonly lifecycle: WatchmanLifecycle,
    private readonly startup: WatchmanStartupLatch,
    private readonly availability: WatchmanAvailability,
    private readonly metrics: WatchmanMetrics,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  /**
   * The answer of one route, with the headers of every watchman response: at once when the
   * route has nothing to wait for (ping), so a door can write it in the same tick.
   */
  answer(name: WatchmanRouteName, request: RouteRequest): Answer {
    const { versioned } = routeNamed(name);
    return thenOrNow(this.handlers[name](request), (done) => this.withHeaders(done, versioned));
  }

  /** Adds what every watchman answer carries: no caching, no sniffing, the version where due. */
  withHeaders(answer: WatchmanResponse, versioned: boolean): WatchmanResponse {
    const finished = this.finished[versioned ? 1 : 0] as WeakMap<WatchmanResponse, WatchmanResponse>;
    const constant = Object.isFrozen(answer) && !this.lifecycle.shuttingDown;
    const known = constant ? finished.get(answer) : undefined;
    if (known) return known;
    const complete = this.headersAdded(answer, versioned);
    if (constant) finished.set(answer, Object.freeze(complete));
    return complete;
  }

  private headersAdded(answer: WatchmanResponse, versioned: boolean): WatchmanResponse {
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

  private status(
    { query, accept }: RouteRequest,
    only?: string,
    among: readonly string[] = this.runner.configuredChecks(),
  ): Answer {
    const selection = selectionFromQuery(query);
    const names = selectChecks(among, only === undefined ? selection : { ...selection, check: [only] });
    if (names.length === 0) return renderNoChecks();
    return thenOrNow(this.runner.reportOf(names), (run) =>
      this.renderStatus(this.withAvailability(run, only === undefined ? selection : { check: [only] }), query, accept),
    );
  }

  private renderStatus(report: WatchmanReport, query: URLSearchParams, accept: string | undefined): WatchmanResponse {
    if (wantsHealthJson(accept, query.get('format'))) {
      const version = this.config.exposeVersion ? WATCHMAN_VERSION : undefined;
      return this.rendered.answer('health+json', report.checks, () =>
        renderHealthJson(
          report,
          (check) => this.registry.get(check)?.componentType ?? 'component',
          this.config,
          version,
        ),
      );
    }
    return this.rendered.answer('json', report.checks, () => renderJson(report, this.config.stacktraces, this.config));
  }

  private group(request: RouteRequest): Answer {
    const names = this.registry.group(request.params.group);
    if (!names) return jsonResponse(404, { error: 404, message: 'No such group' });
    return this.status(request, undefined, names);
  }

  private async dashboard({ query, path }: RouteRequest): Promise<WatchmanResponse> {
    const selection = selectionFromQuery(query);
    const names = this.runner.select(selection);
    const report = names.length > 0 ? this.withAvailability(await this.runner.runNames(names), selection) : undefined;
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

  private bare(request: RouteRequest, group?: string): Answer {
    const among = group === undefined ? this.runner.configuredChecks() : this.registry.group(group);
    if (!among) return textResponse(404, '');
    if (this.lifecycle.shuttingDown || !this.availability.state.ready) return textResponse(503, '');
    const names = this.openSelection(among, request, selectionFromQuery(request.query));
    if (names.length === 0) return textResponse(200, '');
    return thenOrNow(this.runner.reportOf(names, this.openRun(request)), (report) =>
      textResponse(httpStatusOf(report.status, this.config), ''),
    );
  }

  /** `live`, `ready`, `startup`, and their drill-down to one check (`only`). */
  private probe(kind: ProbeKind, request: RouteRequest, only?: string): Answer {
    const verbose = isOn(request.query, 'verbose');
    const view = {
      kind,
      verbose,
      reasons: request.authenticated,
      names: this.showNames(request),
      blockers: this.availabilityBlockers(kind, request),
    };
    const available = this.probeChecks(kind);
    const query = selectionFromQuery(request.query);
    const selection = only === undefined ? query : { ...query, check: [only] };
    // A mistyped probe must fail, not pass on running nothing.
    const unknown = splitNames(selection.check ?? []).filter((name) => !available.includes(name));
    if (unknown.length > 0) return renderUnknownChecks(unknown, verbose);
    if (this.lifecycle.shuttingDown) {
      // Readiness drops at once; liveness (and a latched startup) stay up while the app
      // drains. No check starts any more, so none runs for them.
      return renderProbe(kind === 'ready' ? { ...view, blockers: ['shutdown in progress'] } : view);
    }
    const warnings = splitNames(selection.skip ?? [])
      .filter((name) => !available.includes(name))
      .map((name) => `unknown check ${shownName(name)}`);
    const names = this.openSelection(available, request, selection);
    if (kind === 'startup') {
      // Checks that passed once are not run again; what is left runs until it passes.
      return this.startup
        .evaluate(names, this.openRun(request))
        .then((report) => renderProbe({ ...view, report, warnings }));
    }
    if (kind === 'ready' && !this.startup.latched)
      return this.readyBeforeStartup(names, { ...view, warnings }, request);
    if (names.length === 0) return renderProbe({ ...view, report: undefined, warnings });
    return thenOrNow(this.runner.reportOf(names, this.openRun(request)), (report) =>
      renderProbe({ ...view, report, warnings }),
    );
  }

  // Until startup has latched, ready also runs what startup still waits for, in the same run,
  // fails while any of it has not passed, and names `startup` when what holds it is not among
  // the lines shown. With the default startup checks (the ready checks themselves), ready is
  // judged on what it was asked for: a drill-down is not held by another check.
  private async readyBeforeStartup(names: string[], view: ProbeView, request: RouteRequest): Promise<WatchmanResponse> {
    const waitsFor = this.config.startupChecks ? this.startup.pending() : [];
    const all = [...new Set([...names, ...waitsFor])];
    const run = this.startup.observe(await this.runner.runNames(all, this.openRun(request)));
    const checks = run.checks.filter((check) => names.includes(check.name));
    const report = names.length > 0 ? { ...run, checks, ok: statusOf(checks) !== 'fail' } : undefined;
    const holding = waitsFor.length > 0 && this.startup.pending().some((name) => !names.includes(name));
    return renderProbe({
      ...view,
      report,
      blockers: [...(view.blockers ?? []), ...(holding ? ['startup failed'] : [])],
    });
  }

  // What the app said of itself (WatchmanAvailability): not ready fails ready, broken fails
  // live; the reasons only for a caller who proved who it is.
  private availabilityBlockers(kind: ProbeKind, request: RouteRequest): string[] {
    const { ready, live, reasons } = this.availability.state;
    if (kind === 'startup' || (kind === 'ready' ? ready : live)) return [];
    return [request.authenticated ? `${AVAILABILITY} failed: ${reasons.join('; ')}` : `${AVAILABILITY} failed`];
  }

  // The JSON and the dashboard of everything show the app's own word beside the checks.
  private withAvailability(report: WatchmanReport, selection: WatchmanCheckSelection): WatchmanReport {
    const entry = this.availability.report();
    if (!entry || (selection.check ?? []).length > 0) return report;
    const checks = [...report.checks, entry].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const status = statusOf(checks);
    return { ...report, checks, status, ok: status !== 'fail' };
  }

  private probeChecks(kind: ProbeKind): readonly string[] {
    if (kind === 'live') return this.registry.liveChecks();
    return kind === 'ready' ? this.registry.readyChecks() : this.registry.startupChecks();
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
  private openSelection(
    available: readonly string[],
    { authenticated }: RouteRequest,
    selection: WatchmanCheckSelection,
  ): string[] {
    const names = selectChecks(available, selection);
    return authenticated ? names : names.filter((name) => !this.registry.get(name)?.paid);
  }
}
