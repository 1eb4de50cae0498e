import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { redactUrls } from 'nestjs-watchman';

async function main(): Promise<void> {
  const adapterName = process.env.HTTP_ADAPTER ?? 'express';
  if (!['express', 'fastify'].includes(adapterName))
    throw new Error(`HTTP_ADAPTER must be express or fastify, not ${adapterName}`);
  // Imported here, so a bad environment value fails inside main() and is reported below.
  const { AppModule } = await import('./app.module.js');
  const adapter = adapterName === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(AppModule, adapter);
  // SIGTERM / SIGINT run Nest's shutdown: watchman's ready answers 503 at once, the server then closes.
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '0.0.0.0');
  const { port } = app.getHttpServer().address() as { port: number };
  console.log(`nestjs-watchman sample app (${adapterName}) on http://localhost:${port}/watchman/`);
}

main().catch((error: unknown) => {
  // Never the raw error: a client library's message can carry a URL with its password.
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`nestjs-watchman sample app could not start: ${redactUrls(text)}`);
  process.exit(1);
});
