import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

/** Says when the app has finished shutting down (Nest then re-raises the signal to exit). */
@Injectable()
export class ShutdownLogger implements OnApplicationShutdown {
  onApplicationShutdown(signal?: string): void {
    new Logger('SampleApp').log(`shut down${signal ? ` (${signal})` : ''}`);
  }
}
