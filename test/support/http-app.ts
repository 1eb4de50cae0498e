import type { AddressInfo } from 'node:net';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

/** Both HTTP platforms every route is tested on. */
export const ADAPTERS = ['express', 'fastify'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** A Nest app listening on a real loopback port. */
export interface RunningApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** How to boot: logger (off by default) and a global prefix. */
export interface StartOptions {
  logger?: false | import('@nestjs/common').LoggerService;
  globalPrefix?: string;
  /** Anything else the app sets up before init (versioning, a prefix with exclusions). */
  configure?: (app: INestApplication) => void;
}

/** Boots a module on the given platform and listens on 127.0.0.1 (random port). */
export async function startHttpApp(
  metadata: ModuleMetadata,
  adapter: AdapterName,
  options: StartOptions = {},
): Promise<RunningApp> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app = moduleRef.createNestApplication(adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(), {
    logger: options.logger ?? false,
  });
  if (options.globalPrefix) app.setGlobalPrefix(options.globalPrefix);
  options.configure?.(app);
  try {
    await app.init();
    if (adapter === 'fastify') await app.getHttpAdapter().getInstance().ready();
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Boots an app, runs `work` against it, and always closes it. */
export function withApp<T>(
  metadata: ModuleMetadata,
  adapter: AdapterName,
  work: (app: RunningApp) => Promise<T>,
  options: StartOptions = {},
): Promise<T> {
  return using(startHttpApp(metadata, adapter, options), work);
}

/** Runs `work` with a resource (an app, a context), and always closes it, even when work throws. */
export async function using<T extends { close(): Promise<unknown> }, R>(
  resource: Promise<T> | T,
  work: (resource: T) => Promise<R>,
): Promise<R> {
  const opened = await resource;
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}

/** Boots a module on the default platform (init only, no listen): for tests that talk to providers, not HTTP. */
export async function initApp(metadata: ModuleMetadata, options: StartOptions = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app = moduleRef.createNestApplication({ logger: options.logger ?? false });
  if (options.globalPrefix) app.setGlobalPrefix(options.globalPrefix);
  try {
    return await app.init();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}

/** Boots (init only, no listen) and closes again: resolves when start-up succeeds, rejects with its error. */
export async function bootOnly(metadata: ModuleMetadata): Promise<void> {
  const app = await initApp(metadata);
  await app.close().catch(() => undefined);
}
