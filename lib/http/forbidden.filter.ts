import { type ArgumentsHost, Catch, type ExceptionFilter, ForbiddenException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WatchmanApmService } from '../apm/apm.service.js';

/** A refused request gets a bare 403 with an empty body, as django-watchman answers. */
@Catch(ForbiddenException)
export class WatchmanForbiddenFilter implements ExceptionFilter {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly apm: WatchmanApmService,
  ) {}

  catch(_exception: ForbiddenException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<unknown>();
    const adapter = this.adapterHost.httpAdapter;
    this.apm.ignoreCurrentRequest();
    adapter.setHeader(response, 'Cache-Control', 'no-cache');
    adapter.setHeader(response, 'Content-Type', 'text/plain; charset=utf-8');
    adapter.reply(response, '', 403);
  }
}
