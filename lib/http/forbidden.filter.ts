import { type ArgumentsHost, Catch, type ExceptionFilter, ForbiddenException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WatchmanApmService } from '../apm/apm.service.js';
import { textResponse } from '../formats/watchman-response.js';
import { WatchmanHttpService } from './watchman-http.service.js';

/** A refused request gets a bare 403 with an empty body, as django-watchman answers; no version header. */
@Catch(ForbiddenException)
export class WatchmanForbiddenFilter implements ExceptionFilter {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly apm: WatchmanApmService,
    private readonly http: WatchmanHttpService,
  ) {}

  catch(_exception: ForbiddenException, host: ArgumentsHost): void {
    this.apm.ignoreCurrentRequest();
    this.http.writePlain(host.switchToHttp().getResponse(), textResponse(403, ''));
  }
}
