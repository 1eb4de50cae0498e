import { type CanActivate, Controller, Get, Req, Res, type Type, UseFilters, UseGuards } from '@nestjs/common';
import { WatchmanForbiddenFilter } from './forbidden.filter.js';
import { WatchmanHttpService } from './watchman-http.service.js';

type AnyRequest = Parameters<WatchmanHttpService['status']>[0];

/**
 * Builds the controller for one registration, so its path and guard never leak into another
 * (a shared class would be mutated by a second `forRoot`).
 */
export function createWatchmanController(path: string, guard: Type<CanActivate> | CanActivate): Type<unknown> {
  @Controller(path)
  @UseFilters(WatchmanForbiddenFilter)
  class WatchmanController {
    constructor(private readonly http: WatchmanHttpService) {}

    @Get()
    @UseGuards(guard)
    status(@Req() request: AnyRequest, @Res() response: unknown): Promise<void> {
      return this.http.status(request, response);
    }

    @Get('dashboard')
    @UseGuards(guard)
    dashboard(@Req() request: AnyRequest, @Res() response: unknown): Promise<void> {
      return this.http.dashboard(request, response);
    }

    @Get('ping')
    ping(@Res() response: unknown): void {
      this.http.ping(response);
    }

    @Get('bare')
    bare(@Req() request: AnyRequest, @Res() response: unknown): Promise<void> {
      return this.http.bare(request, response);
    }
  }
  return WatchmanController;
}
