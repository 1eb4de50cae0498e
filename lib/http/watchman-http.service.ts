import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WatchmanApmService } from '../apm/apm.service.js';
import { reportToJson } from '../runner/check-result.js';
import { WatchmanHistory } from '../runner/check.history.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { selectionFromUrl } from '../runner/selection.js';
import { VERSION_HEADER, WATCHMAN_CONFIG, WATCHMAN_VERSION } from '../watchman.constants.js';
import type { WatchmanConfig } from '../watchman.options.js';
import { renderDashboard } from './dashboard.html.js';
import { dashboardOptionsFromRequest } from './dashboard-request.js';
import { requestUrl } from './request-url.js';

type AnyRequest = Parameters<typeof requestUrl>[0] & { headers: Record<string, string | string[] | undefined> };

/** The four routes' behaviour, written once against Nest's HTTP adapter (Express and Fastify). */
@Injectable()
export class WatchmanHttpService {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly runner: WatchmanRunner,
    private readonly history: WatchmanHistory,
    private readonly apm: WatchmanApmService,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  /** `GET <path>`: JSON of the selected checks. */
  async status(request: AnyRequest, response: unknown): Promise<void> {
    this.prepare(response, true);
    const names = this.runner.select(selectionFromUrl(requestUrl(request)));
    if (names.length === 0) {
      this.adapter.reply(response, { error: 404, message: 'No checks found' }, 404);
      return;
    }
    const report = await this.runner.runNames(names);
    this.adapter.reply(response, reportToJson(report, this.config.stacktraces), report.ok ? 200 : this.config.errorCode);
  }

  /** `GET <path>/dashboard`: the HTML page; always 200. */
  async dashboard(request: AnyRequest, response: unknown): Promise<void> {
    this.prepare(response, true);
    const url = requestUrl(request);
    const names = this.runner.select(selectionFromUrl(url));
    const report = names.length > 0 ? await this.runner.runNames(names) : undefined;
    const page = renderDashboard({
      report,
      history: this.history,
      version: this.config.exposeVersion ? WATCHMAN_VERSION : undefined,
      stacktraces: this.config.stacktraces,
      jsonPath: new URL(url, 'http://localhost').pathname.replace(/\/dashboard\/?$/, '') || '/',
      ...dashboardOptionsFromRequest(url, request.headers, this.config.tokenName),
    });
    this.adapter.setHeader(response, 'Content-Type', 'text/html; charset=utf-8');
    this.adapter.setHeader(response, 'Content-Security-Policy', page.contentSecurityPolicy);
    this.adapter.setHeader(response, 'X-Content-Type-Options', 'nosniff');
    this.adapter.reply(response, page.html, 200);
  }

  /** `GET <path>/ping`: `pong`, no check runs. */
  ping(response: unknown): void {
    this.prepare(response, false);
    this.adapter.setHeader(response, 'Content-Type', 'text/plain; charset=utf-8');
    this.adapter.reply(response, 'pong', 200);
  }

  /** `GET <path>/bare`: empty body, 200 or `errorCode`. */
  async bare(request: AnyRequest, response: unknown): Promise<void> {
    this.prepare(response, false);
    const names = this.runner.select(selectionFromUrl(requestUrl(request)));
    const ok = names.length === 0 || (await this.runner.runNames(names)).ok;
    this.adapter.setHeader(response, 'Content-Type', 'text/plain; charset=utf-8');
    this.adapter.reply(response, '', ok ? 200 : this.config.errorCode);
  }

  /** Headers every watchman response carries; the version only where django sends it. */
  prepare(response: unknown, withVersion: boolean): void {
    this.apm.ignoreCurrentRequest();
    this.adapter.setHeader(response, 'Cache-Control', 'no-cache');
    if (withVersion && this.config.exposeVersion) this.adapter.setHeader(response, VERSION_HEADER, WATCHMAN_VERSION);
  }

  private get adapter() {
    return this.adapterHost.httpAdapter;
  }
}
