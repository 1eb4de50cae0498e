import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WatchmanApmService } from '../apm/apm.service.js';
import { isAuthenticated } from '../auth/watchman-auth.guard.js';
import { type WatchmanRequest, headerValue, requestQuery, requestUrl, splitTarget } from '../common/http-request.js';
import type { WatchmanResponse } from '../formats/watchman-response.js';
import type { RouteRequest } from '../routes/route-request.js';
import type { WatchmanRouteName } from '../routes/route-table.js';
import { WatchmanRoutes } from '../routes/watchman-routes.js';
import { writeResponse } from './response-writer.js';

/** Nest's door to the route core: a request of Express or Fastify in, the answer written out. */
@Injectable()
export class WatchmanHttpService {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly routes: WatchmanRoutes,
    private readonly apm: WatchmanApmService,
  ) {}

  /** Answers one route. */
  async handle(name: WatchmanRouteName, request: WatchmanRequest, response: unknown): Promise<void> {
    this.apm.ignoreCurrentRequest();
    this.write(response, await this.routes.answer(name, routeRequest(request)));
  }

  /** Writes an answer already complete (see `WatchmanRoutes.withHeaders`). */
  write(response: unknown, answer: WatchmanResponse): void {
    writeResponse(this.adapterHost.httpAdapter.getType(), response, answer);
  }

  /** Writes an answer of watchman's own that is not a route's (403, 404), with the common headers. */
  writePlain(response: unknown, answer: WatchmanResponse): void {
    this.write(response, this.routes.withHeaders(answer, false));
  }
}

// Read lazily: `ping` needs none of it.
function routeRequest(request: WatchmanRequest): RouteRequest {
  return {
    get path() {
      return splitTarget(requestUrl(request)).path;
    },
    get params() {
      return (request as { params?: Record<string, string> }).params ?? {};
    },
    get query() {
      return requestQuery(request);
    },
    get accept() {
      return headerValue(request, 'accept');
    },
    get authenticated() {
      return isAuthenticated(request);
    },
  };
}
