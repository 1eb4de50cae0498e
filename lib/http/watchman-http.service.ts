import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WatchmanApmService } from '../apm/apm.service.js';
import { type MaybePromise, thenOrNow } from '../common/maybe-async.js';
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
  private adapterType?: string;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly routes: WatchmanRoutes,
    private readonly apm: WatchmanApmService,
  ) {}

  /** Answers one route (in the same tick when its answer is ready). */
  handle(name: WatchmanRouteName, request: WatchmanRequest, response: unknown): MaybePromise<void> {
    this.apm.ignoreCurrentRequest();
    return thenOrNow(this.routes.answer(name, new NestRouteRequest(request)), (done) => this.write(response, done));
  }

  /** Writes an answer already complete (see `WatchmanRoutes.withHeaders`). */
  write(response: unknown, answer: WatchmanResponse): void {
    this.adapterType ??= this.adapterHost.httpAdapter.getType();
    writeResponse(this.adapterType, response, answer);
  }

  /** Writes an answer of watchman's own that is not a route's (403, 404), with the common headers. */
  writePlain(response: unknown, answer: WatchmanResponse): void {
    this.write(response, this.routes.withHeaders(answer, false));
  }
}

// Read lazily: `ping` needs none of it.
class NestRouteRequest implements RouteRequest {
  constructor(private readonly request: WatchmanRequest) {}

  get path(): string {
    return splitTarget(requestUrl(this.request)).path;
  }

  get params(): Record<string, string> {
    return (this.request as { params?: Record<string, string> }).params ?? {};
  }

  get query(): URLSearchParams {
    return requestQuery(this.request);
  }

  get accept(): string | undefined {
    return headerValue(this.request, 'accept');
  }

  get authenticated(): boolean {
    return isAuthenticated(this.request);
  }
}
