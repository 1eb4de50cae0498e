import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { setTimeout as delay } from 'node:timers/promises';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';

type ClosableAdapter = { beforeClose?: () => unknown; getHttpServer?: () => unknown };

/** What Node's http server offers (since 18.2) to end connections that would hold its close. */
interface ClosableServer {
  closeIdleConnections?(): void;
  closeAllConnections?(): void;
}

/**
 * How long requests under way may still finish once the delay is over, before every
 * connection is closed: the process then exits within `shutdownDelay` + 2 s whatever a client
 * holds (a socket only connected, a half-sent request, a body trickling in).
 */
const CLOSE_GRACE_MS = 1_500;

/**
 * Shutdown as load balancers and Kubernetes need it. From the first of Nest's shutdown steps
 * (the HTTP adapter's `beforeClose`, which `app.close()` and the signal hooks run before any
 * module is destroyed) `ready` and `bare` answer 503 without running a check, `ping` and
 * `live` stay 200, no check starts; then `shutdownDelay` holds the shutdown while the server
 * still serves, and the runs under way finish, before the rest of the app closes.
 */
@Injectable()
export class WatchmanLifecycle implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private shutdown?: Promise<void>;
  // Set before the shutdown listeners run, so what they read already says so.
  private begun = false;
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly runner: WatchmanRunner,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  /** Whether shutdown has begun. */
  get shuttingDown(): boolean {
    return this.begun;
  }

  /** @internal Called once when shutdown begins (the refresh scheduler stops here). */
  onShutdown(listener: () => void): void {
    this.listeners.push(listener);
  }

  onApplicationBootstrap(): void {
    // Hooked at bootstrap, when the adapter (if any: the CLI has none) is final.
    const adapter = this.adapterHost?.httpAdapter as ClosableAdapter | undefined;
    if (!adapter) return;
    const original = adapter.beforeClose?.bind(adapter);
    adapter.beforeClose = async () => {
      await this.begin('the HTTP server is closing');
      return original?.();
    };
  }

  /** Without an HTTP adapter (CLI, application contexts), the first module hook starts it. */
  onModuleDestroy(): Promise<void> {
    return this.begin('the app is closing');
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.begin('the app is closing');
  }

  /** @internal Begins shutdown (once): stop starting checks, hold for `shutdownDelay`, let runs finish. */
  begin(why: string): Promise<void> {
    this.shutdown ??= this.runShutdown(why);
    return this.shutdown;
  }

  private async runShutdown(why: string): Promise<void> {
    this.begun = true;
    this.runner.stop();
    for (const listener of this.listeners.splice(0)) listener();
    if (this.config.shutdownDelay > 0) {
      this.logger.log(
        `shutdown: ${why}; ready and bare answer 503 for ${this.config.shutdownDelay} ms before the server closes`,
      );
      await delay(this.config.shutdownDelay);
    }
    this.closeHeldConnections();
    await this.runner.drain();
  }

  // Node's `server.close()` waits for every connection to end, and one that never sends a
  // whole request is not idle to it: such a client would hold the process for minutes.
  private closeHeldConnections(): void {
    const server = (this.adapterHost?.httpAdapter as ClosableAdapter | undefined)?.getHttpServer?.() as
      ClosableServer | undefined;
    if (typeof server?.closeAllConnections !== 'function') return;
    server.closeIdleConnections?.();
    setTimeout(() => server.closeAllConnections?.(), CLOSE_GRACE_MS).unref();
  }
}
