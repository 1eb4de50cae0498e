import type { IncomingMessage, Server } from 'node:http';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import { basePath, matchRoute } from '../routes/route-table.js';

/**
 * Nest registers routes without their trailing slash and Fastify matches strictly (unless the
 * app built its adapter with `ignoreTrailingSlash`), so `/watchman/` would 404 there while it
 * works on Express. This drops the trailing slash of exactly watchman's own route paths before
 * Fastify routes the request; every other URL is untouched.
 */
@Injectable()
export class FastifyTrailingSlash implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    private readonly appConfig: ApplicationConfig,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  onModuleInit(): void {
    const adapter = this.host.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    const base = basePath(this.appConfig.getGlobalPrefix(), this.config.path);
    const ours = (path: string) => {
      if (path === base) return true;
      const below = base === '/' ? path : path.startsWith(`${base}/`) ? path.slice(base.length) : undefined;
      return below !== undefined && matchRoute(below) !== undefined;
    };
    const server = adapter.getHttpServer() as Server | undefined;
    server?.prependListener('request', (request: IncomingMessage) => {
      const url = request.url ?? '';
      const query = url.indexOf('?');
      const path = query < 0 ? url : url.slice(0, query);
      if (!path.endsWith('/') || path === '/') return;
      const trimmed = path.replace(/\/+$/, '');
      if (ours(trimmed)) request.url = trimmed + (query < 0 ? '' : url.slice(query));
    });
  }
}
