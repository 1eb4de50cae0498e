import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

const adapter = process.env.HTTP_ADAPTER === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
if (process.env.HTTP_ADAPTER && !['express', 'fastify'].includes(process.env.HTTP_ADAPTER)) {
  throw new Error(`HTTP_ADAPTER must be express or fastify, not ${process.env.HTTP_ADAPTER}`);
}
const app = await NestFactory.create(AppModule, adapter);
app.enableShutdownHooks();
const port = Number(process.env.PORT ?? 3000);
await app.listen(port, process.env.HOST ?? '0.0.0.0');
console.log(`nestjs-watchman sample app (${process.env.HTTP_ADAPTER ?? 'express'}) on http://localhost:${port}/watchman/`);
