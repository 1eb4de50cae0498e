import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { WatchmanApmService } from '../apm/apm.service.js';
import { WatchmanTokenGuard } from '../auth/token.guard.js';
import { splitTarget } from '../common/http-request.js';
import { jsonResponse, textResponse } from '../formats/watchman-response.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import type { RouteRequest } from '../routes/route-request.js';
import { type WatchmanRouteName, basePath, matchRoute } from '../routes/route-table.js';
import { WatchmanRoutes } from '../routes/watchman-routes.js';
import { WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import { writeNodeResponse } from './response-writer.js';
import { markProbePort, unmountWatchman } from './watchman-requests.js';

/** What the probe port serves: the probes and their drill-downs, and the token-protected metrics. */
const PROBE_ROUTES = new Set<WatchmanRouteName>([
  'ping',
  'bare',
  'bareGroup',
  'live',
  'liveCheck',
  'ready',
  'readyCheck',
  'startup',
  'startupCheck',
  'metrics',
]);

/**
 * `probePort`: watchman's own `node:http` server, for apps with no HTTP adapter (workers made
 * with `createMicroservice`, application contexts) or to keep probes off the public port. It
 * answers through the same route core as the app's routes (same paths below `path`, bodies,
 * headers and status codes), follows the shutdown sequence (ready 503 from the first hook,
 * then it closes once `shutdownDelay` is over) and never keeps the process alive.
 */
@Injectable()
export class WatchmanProbePort implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private server?: Server;

  constructor(
    private readonly routes: WatchmanRoutes,
    private readonly tokens: WatchmanTokenGuard,
    private readonly apm: WatchmanApmService,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  /** @internal The port it listens on, once it does. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { probePort, probeHost } = this.config;
    if (probePort === undefined) return;
    const server = createServer((request, response) => void this.handle(request, response));
    // Every request on this port is watchman's.
    this.apm.guardServer(server, () => true);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(probePort, probeHost, () => resolve());
    });
    server.unref(); // a probe server never keeps the process alive
    this.server = server;
    markProbePort(this, this.port as number);
    this.logger.log(`probes on http://${probeHost}:${this.port}${basePath('', this.config.path)}/ready`);
  }

  // After every module's destroy hook, so after the shutdown delay: nothing waits on a client.
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    unmountWatchman(this);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      writeNodeResponse(response, await this.answer(request));
    } catch (error) {
      this.logger.error(`probe port: ${(error as Error).message}`);
      if (!response.headersSent) writeNodeResponse(response, textResponse(500, 'Internal Server Error\n'));
    }
  }

  private async answer(request: IncomingMessage) {
    const { path, query } = splitTarget(request.url ?? '/');
    const base = basePath('', this.config.path);
    const below =
      base === '/' ? path : path.startsWith(`${base}/`) || path === base ? path.slice(base.length) : undefined;
    const match = below === undefined ? undefined : matchRoute(below);
    if (!match || !PROBE_ROUTES.has(match.route.name))
      return this.plain(jsonResponse(404, { error: 404, message: 'Not found' }));
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return this.plain({ ...textResponse(405, ''), headers: { Allow: 'GET, HEAD' } });
    const authenticated = this.tokens.hasValidToken(request);
    if (match.route.access === 'protected' && this.tokens.enabled && !authenticated)
      return this.plain(textResponse(403, ''));
    const routeRequest: RouteRequest = {
      path,
      params: match.params,
      query,
      accept: request.headers.accept,
      authenticated: authenticated || (match.route.access === 'protected' && !this.tokens.enabled),
    };
    return this.routes.answer(match.route.name, routeRequest);
  }

  private plain(answer: ReturnType<typeof textResponse>) {
    return this.routes.withHeaders(answer, false);
  }
}
