import { Controller, Get, Req, Res, type Type, UseFilters, UseGuards, VERSION_NEUTRAL } from '@nestjs/common';
import { WatchmanAuthGuard, WatchmanCallerGuard } from '../auth/watchman-auth.guard.js';
import type { WatchmanRequest } from '../common/http-request.js';
import type { WatchmanRouteDecorators } from '../watchman-options.interface.js';
import { WatchmanForbiddenFilter } from './forbidden.filter.js';
import { WATCHMAN_ROUTES } from '../routes/route-table.js';
import { WatchmanHttpService } from './watchman-http.service.js';

/**
 * Builds the controller of one registration from the route table, with the app's own route
 * decorators, so nothing leaks into another registration (a shared class would be mutated by
 * a second `forRoot`). Its path is set once the configuration is resolved.
 */
export function createWatchmanController(decorators: WatchmanRouteDecorators = {}): Type<unknown> {
  // Version-neutral: the app's URI versioning must not move the probes (/api/v1/watchman/ready).
  @Controller({ version: VERSION_NEUTRAL })
  @UseFilters(WatchmanForbiddenFilter)
  class WatchmanController {
    constructor(readonly http: WatchmanHttpService) {}
  }

  for (const route of WATCHMAN_ROUTES) {
    const prototype = WatchmanController.prototype as unknown as Record<string, unknown>;
    prototype[route.name] = function handle(this: WatchmanController, request: WatchmanRequest, response: unknown) {
      return this.http.handle(route.name, request, response);
    };
    const descriptor = Object.getOwnPropertyDescriptor(prototype, route.name) as PropertyDescriptor;
    const guard = route.access === 'protected' ? WatchmanAuthGuard : route.runsChecks ? WatchmanCallerGuard : undefined;
    const own = route.access === 'protected' ? (decorators.protected ?? []) : (decorators.open ?? []);
    const methodDecorators: MethodDecorator[] = [Get(route.path), ...(guard ? [UseGuards(guard)] : []), ...own];
    for (const decorate of methodDecorators) decorate(prototype, route.name, descriptor);
    Req()(prototype, route.name, 0);
    Res()(prototype, route.name, 1);
  }
  return WatchmanController;
}
