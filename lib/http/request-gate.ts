import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { splitTarget, targetPath } from '../common/http-request.js';
import { jsonResponse, textResponse } from '../formats/watchman-response.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { type WatchmanRouteName, matchRoute } from '../routes/route-table.js';
import { WatchmanTokenGuard } from '../auth/token.guard.js';
import { WatchmanLifecycle } from '../lifecycle/watchman.lifecycle.js';
import { WatchmanRoutes } from '../routes/watchman-routes.js';
import { WatchmanApmService } from '../apm/apm.service.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import { mountedBases } from './mounted-bases.js';
import { mountWatchman, pathBelow, unmountWatchman } from './watchman-requests.js';
import { writeNodeResponse } from './response-writer.js';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

const READ_METHODS = new Set(['GET', 'HEAD']);
/** The routes that answer 200 through the whole shutdown. */
const STAY_UP = new Set<WatchmanRouteName>(['ping', 'live', 'liveCheck']);

/**
 * Stands in front of the app's HTTP server for requests below watchman's path, before Express
 * or Fastify see them, so that nothing there echoes a URL (their own 404s and URL errors
 * repeat it, token and all):
 * - an absolute-form target (`GET http://host/watchman/ready`) becomes origin-form;
 * - a malformed percent-escape in the path gets watchman's 400;
 * - any method but GET and HEAD gets watchman's 405 on a route, 404 elsewhere;
 * - on Fastify, which matches strictly, a trailing slash on a route is dropped.
 * Every other request passes untouched. (GET on an unknown path below watchman's gets
 * watchman's 404 from `WatchmanNotFoundRoute`, after the framework's own matching.) It also
 * tells `isWatchmanRequest` where watchman is mounted, and with `disableApm` keeps watchman's
 * requests out of OpenTelemetry traces.
 */
@Injectable()
export class WatchmanRequestGate implements OnModuleInit, OnApplicationShutdown {
  /** Where watchman is mounted, lower-cased. */
  private bases: string[] = [];
  private unguard = () => undefined as void;

  constructor(
    private readonly host: HttpAdapterHost,
    private readonly appConfig: ApplicationConfig,
    private readonly routes: WatchmanRoutes,
    private readonly lifecycle: WatchmanLifecycle,
    private readonly tokens: WatchmanTokenGuard,
    private readonly apm: WatchmanApmService,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  onModuleInit(): void {
    const adapter = this.host.httpAdapter;
    const server = adapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    this.bases = mountedBases(this.appConfig, this.config.path).map((base) => base.toLowerCase());
    mountWatchman(this, this.bases);
    // What isWatchmanRequest counts as watchman's (at the root: its named routes only).
    this.unguard = this.apm.guardServer(
      server,
      (request) => pathBelow(targetPath(request.url ?? '/'), this.bases, true) !== undefined,
    );
    const strict = adapter.getType() === 'fastify';
    const listeners = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    // Every request of the app passes here: the usual single listener is called directly.
    const [only] = listeners;
    const pass =
      listeners.length === 1 && only
        ? (request: IncomingMessage, response: ServerResponse) => only.call(server, request, response)
        : (request: IncomingMessage, response: ServerResponse) => {
            for (const listener of listeners) listener.call(server, request, response);
          };
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (!this.intercept(request, response, strict)) pass(request, response);
    });
  }

  // Once the server has closed: ping and live answer (untraced) until then.
  onApplicationShutdown(): void {
    unmountWatchman(this);
    this.unguard();
  }

  /** Answers the request itself when it is watchman's to refuse; otherwise fixes it up and lets it pass. */
  private intercept(request: IncomingMessage, response: ServerResponse, strict: boolean): boolean {
    const target = request.url ?? '/';
    const path = targetPath(target);
    const below = this.below(path);
    if (below === undefined) return false;
    if (!target.startsWith('/')) request.url = target.slice(target.indexOf(path));
    if (path.includes('%') && !decodable(path)) return this.answer(response, textResponse(400, 'Bad Request\n'));
    const read = READ_METHODS.has(request.method ?? 'GET');
    const trailing = strict && path.length > 1 && path.endsWith('/');
    // Nearly every request: a GET for the framework's own routes, nothing to match here.
    if (read && !trailing && !this.lifecycle.shuttingDown) return false;
    const match = matchRoute(below.toLowerCase());
    if (!read) {
      if (match) return this.answer(response, { ...textResponse(405, ''), headers: { Allow: 'GET, HEAD' } });
      return this.bases.includes('/')
        ? false
        : this.answer(response, jsonResponse(404, { error: 404, message: 'Not found' }));
    }
    // Once shutdown has begun a framework may answer 503 by itself (Fastify's
    // return503OnClosing): ping and live stay 200 until the port closes, so they are
    // answered here.
    if (match && this.lifecycle.shuttingDown && STAY_UP.has(match.route.name)) {
      // In an async function: an answer that throws at once is a 500 too, never a crash.
      void (async () =>
        this.routes.answer(match.route.name, {
          path,
          // The route is matched case-insensitively; a check name keeps its own case.
          params: matchRoute(below)?.params ?? match.params,
          query: splitTarget(target).query,
          accept: request.headers.accept,
          authenticated: this.tokens.hasValidToken(request),
        }))()
        .then((answer) => writeNodeResponse(response, answer))
        .catch(() => writeNodeResponse(response, textResponse(500, '')));
      return true;
    }
    if (trailing && match) {
      const url = request.url ?? '/';
      request.url = path.replace(/\/+$/, '') + url.slice(path.length);
    }
    return false;
  }

  private below(path: string): string | undefined {
    return pathBelow(path, this.bases);
  }

  private answer(response: ServerResponse, answer: ReturnType<typeof textResponse>): true {
    writeNodeResponse(response, this.routes.withHeaders(answer, false));
    return true;
  }
}

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}
