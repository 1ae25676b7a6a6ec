import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

/** PLATFORM=express (the default) or PLATFORM=fastify: the same app on either. */
function createAdapter(platform = process.env.PLATFORM ?? 'express') {
  if (platform === 'express') return new ExpressAdapter();
  if (platform === 'fastify') return new FastifyAdapter();
  throw new Error(`PLATFORM must be express or fastify; got ${platform}`);
}

async function bootstrap() {
  const app = await NestFactory.create(AppModule, createAdapter());
  app.enableShutdownHooks(); // SIGTERM closes the app, and with it the session store
  await app.listen(process.env.PORT ?? 3000, process.env.HOST ?? '127.0.0.1');
}
void bootstrap(); // no top-level await: the same file is also compiled to CommonJS
