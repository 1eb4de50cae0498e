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
 * added once Nest's routes are in (onModuleInit), so every real route still wins: on Express
 * as a catch-all route, on Fastify as its not-found handler for watchman's prefix.
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
    const notFound = (_request: unknown, response: unknown) =>
      this.http.writePlain(response, jsonResponse(404, { error: 404, message: 'Not found' }));
    // With watchman at the root, the paths around it are the app's.
    for (const base of mountedBases(this.appConfig, this.config.path).filter((candidate) => candidate !== '/')) {
      if (adapter.getType() === 'fastify') {
        // Fastify's own 404 handler for the prefix: it lives in a router of its own, where a
        // wildcard route in the app's router would slow the matching of every request.
        adapter.getInstance<FastifyLike>().register(
          async (scope) => {
            scope.setNotFoundHandler(notFound);
          },
          { prefix: base },
        );
      } else adapter.get(`${base}/{*rest}`, notFound);
    }
  }
}

interface FastifyLike {
  register(
    plugin: (scope: {
      setNotFoundHandler(handler: (request: unknown, reply: unknown) => void): unknown;
    }) => Promise<void>,
    options: { prefix: string },
  ): unknown;
}
