import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { jsonResponse } from '../formats/watchman-response.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import { mountedBases } from './mounted-bases.js';
import { WatchmanHttpService } from './watchman-http.service.js';

/**
 * Any other path below watchman's gets a 404 of watchman's own. Nest's default 404 repeats the
 * whole URL, so a token given as a parameter on a mistyped route would be echoed back. It is
 * added once Nest's routes are in (onModuleInit), so every real route still wins; the path
 * syntax is the adapter's own, which a controller route could not choose.
 */
@Injectable()
export class WatchmanNotFoundRoute implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    private readonly appConfig: ApplicationConfig,
    private readonly http: WatchmanHttpService,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  onModuleInit(): void {
    const adapter = this.host.httpAdapter;
    if (!adapter) return;
    // With watchman at the root, the paths around it are the app's.
    for (const base of mountedBases(this.appConfig, this.config.path).filter((candidate) => candidate !== '/')) {
      const pattern = adapter.getType() === 'fastify' ? `${base}/*` : `${base}/{*rest}`;
      adapter.get(pattern, (_request: unknown, response: unknown) =>
        this.http.writePlain(response, jsonResponse(404, { error: 404, message: 'Not found' })),
      );
    }
  }
}
