import { Injectable, type NestMiddleware } from '@nestjs/common';
import { WatchmanLifecycle } from 'nestjs-watchman';

/**
 * Once shutdown has begun, every answer of the app closes its connection (watchman's own
 * answers already do): a keep-alive client polling the app then lets the server close,
 * instead of holding it open request after request.
 */
@Injectable()
export class ShutdownConnectionMiddleware implements NestMiddleware {
  constructor(private readonly lifecycle: WatchmanLifecycle) {}

  use(_request: unknown, response: { setHeader(name: string, value: string): void }, next: () => void): void {
    if (this.lifecycle.shuttingDown) response.setHeader('Connection', 'close');
    next();
  }
}
