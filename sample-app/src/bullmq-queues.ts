import type { DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { envUrl } from './env-url.js';

/** The BullMQ queue watchman reports under `queues` (alias `mail`). */
export const MAIL_QUEUE = 'mail';

/**
 * BULLMQ_URL (a Redis URL) → a BullMQ queue `mail`, registered through `@nestjs/bullmq`;
 * watchman finds it by itself. Nothing when the variable is unset.
 */
export function bullQueues(env: NodeJS.ProcessEnv = process.env): DynamicModule[] {
  const url = envUrl('BULLMQ_URL', env);
  if (!url) return [];
  return [
    BullModule.forRoot({
      // socketTimeout: ioredis drops (and reconnects) a connection whose replies stopped coming,
      // which a Redis lost behind a silent network would otherwise leave waiting for ever.
      connection: { url: url.href, socketTimeout: 10_000 },
    }),
    BullModule.registerQueue({ name: MAIL_QUEUE }),
  ];
}
