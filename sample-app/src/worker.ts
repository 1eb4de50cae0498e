import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions, Transport } from '@nestjs/microservices';
import { redactUrls } from 'nestjs-watchman';

/**
 * The same app as a NATS worker with no HTTP adapter (`npm run start:worker`): watchman's
 * probes on WATCHMAN_PROBE_PORT (default 3001), its checks as in the HTTP sample.
 */
async function main(): Promise<void> {
  process.env.WATCHMAN_PROBE_PORT ??= '3001';
  const { AppModule } = await import('./app.module.js');
  const nats = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const worker = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule, {
    transport: Transport.NATS,
    options: { servers: [nats] },
  });
  worker.enableShutdownHooks();
  await worker.listen();
  console.log(
    `nestjs-watchman sample worker on ${redactUrls(nats)}, probes on port ${process.env.WATCHMAN_PROBE_PORT}`,
  );
}

main().catch((error: unknown) => {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`nestjs-watchman sample worker could not start: ${redactUrls(text)}`);
  process.exit(1);
});
