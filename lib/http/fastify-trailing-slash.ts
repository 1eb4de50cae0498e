import type { IncomingMessage, Server } from 'node:http';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/**
 * Nest registers routes without their trailing slash and Fastify matches strictly (unless the
 * app built its adapter with `ignoreTrailingSlash`), so `/watchman/` would 404 there while it
 * works on Express. This drops the trailing slash of watchman's own paths before Fastify routes
 * the request; other URLs are untouched.
 */
export function fastifyTrailingSlashFor(path: string): new (host: HttpAdapterHost) => OnModuleInit {
  const escaped = path.split('/').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/');
  const pattern = new RegExp(`^((?:/[^?]*)?/${escaped}(?:/(?:dashboard|ping|bare))?)/+(\\?.*)?$`);

  @Injectable()
  class FastifyTrailingSlash implements OnModuleInit {
    constructor(private readonly host: HttpAdapterHost) {}

    onModuleInit(): void {
      const adapter = this.host.httpAdapter;
      if (adapter?.getType() !== 'fastify') return;
      const server = adapter.getHttpServer() as Server | undefined;
      server?.prependListener('request', (request: IncomingMessage) => {
        const match = request.url ? pattern.exec(request.url) : null;
        if (match) request.url = match[1] + (match[2] ?? '');
      });
    }
  }
  return FastifyTrailingSlash;
}
