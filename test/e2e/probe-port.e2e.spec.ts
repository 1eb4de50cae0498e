import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions, Transport } from '@nestjs/microservices';
import request from 'supertest';
import { WatchmanModule, type WatchmanModuleOptions } from 'nestjs-watchman';
import { WatchmanProbePort } from '../../lib/http/probe-port.server.js';
import { FailingCheck, PassingCheck } from '../fixtures/checks.js';
import { bootContextInChild } from '../support/child-context.js';
import { startHttpApp, using } from '../support/http-app.js';
import { describeIf, needsService } from '../support/requirements.js';
import { tempDir } from '../support/temp-dir.js';

// SPEC "Probes without HTTP": watchman's own node:http probe server, for workers and
// application contexts, answering through the same route core as the app's routes.
const TOKEN = 'probe-port-token';
const OPTIONS: WatchmanModuleOptions = {
  tokens: [TOKEN],
  checks: ['passing', 'failing'],
  readyChecks: ['passing', 'failing'],
  liveChecks: ['passing'],
  nonCritical: [],
  probePort: 0,
  probeHost: '127.0.0.1',
  openRouteTtl: 0,
};

const moduleWith = (options: WatchmanModuleOptions) => {
  @Module({
    imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), ...options })],
    providers: [PassingCheck, FailingCheck],
  })
  class ProbedModule {}
  return ProbedModule;
};

const probeUrl = (app: { get: (token: typeof WatchmanProbePort) => WatchmanProbePort }) =>
  `http://127.0.0.1:${app.get(WatchmanProbePort).port}`;

describe('the probe port in an application context (no HTTP adapter)', () => {
  it('serves ping, the probes, their drill-downs and token-protected metrics, as the app routes would', async () => {
    const url = await using(
      NestFactory.createApplicationContext(moduleWith(OPTIONS), { logger: false }),
      async (context) => {
        const url = probeUrl(context);
        await request(url).get('/watchman/ping').expect(200, 'pong');
        await request(url).get('/watchman/live').expect(200, 'ok');
        const ready = await request(url).get('/watchman/ready?verbose');
        expect([ready.status, ready.text]).toEqual([503, '[-]failing failed\n[+]passing ok\nready check failed\n']);
        expect(ready.headers['cache-control']).toBe('no-cache, no-store');
        await request(url).get('/watchman/ready/passing').expect(200, 'ok');
        await request(url).get('/watchman/ready/nope').expect(404);
        await request(url).get('/watchman/bare').expect(500);
        await request(url).head('/watchman/live').expect(200);
        // metrics: the token rules of /watchman/metrics.
        await request(url).get('/watchman/metrics').expect(403);
        const metrics = await request(url).get(`/watchman/metrics?watchman-token=${TOKEN}`).expect(200);
        expect(metrics.text).toMatch(/watchman_check_up\{check="failing"/);
        // Only the probes: the JSON and the dashboard stay on the app's own port, if any.
        await request(url).get(`/watchman?watchman-token=${TOKEN}`).expect(404);
        await request(url).get(`/watchman/dashboard?watchman-token=${TOKEN}`).expect(404);
        const post = await request(url).post(`/watchman/ready?watchman-token=${TOKEN}`);
        expect([post.status, post.headers.allow, post.text.includes(TOKEN)]).toEqual([405, 'GET, HEAD', false]);
        const escape = await request(url).get(`/watchman/%ZZ?watchman-token=${TOKEN}`);
        expect([escape.status, escape.text.includes(TOKEN)]).toEqual([404, false]);
        return url;
      },
    );
    // Closed with the app: the port refuses.
    await expect(fetch(`${url}/watchman/ping`)).rejects.toThrow();
  });

  it('answers with the same status, headers and body as the app’s own routes', async () => {
    const http = startHttpApp({ imports: [moduleWith(OPTIONS)] }, 'express');
    await using(http, async ({ app, url }) => {
      const probe = probeUrl(app);
      for (const path of ['/watchman/ready?verbose', '/watchman/live', '/watchman/bare', '/watchman/startup']) {
        const [own, viaPort] = [await request(url).get(path), await request(probe).get(path)];
        expect([path, viaPort.status, viaPort.text, viaPort.headers['content-type']]).toEqual([
          path,
          own.status,
          own.text,
          own.headers['content-type'],
        ]);
      }
    });
  });
});

const describeNats = describeIf(await needsService('NATS', 4222));

describeNats('the probe port in a NATS microservice (no HTTP adapter)', () => {
  it('serves the probes and turns ready 503 at the first shutdown hook, before it closes', async () => {
    const worker = await NestFactory.createMicroservice<MicroserviceOptions>(
      moduleWith({ ...OPTIONS, checks: ['passing'], readyChecks: ['passing'], shutdownDelay: 600 }),
      { transport: Transport.NATS, options: { servers: ['nats://127.0.0.1:4222'] }, logger: false },
    );
    await worker.listen();
    const url = probeUrl(worker);
    await request(url).get('/watchman/ready').expect(200, 'ok');
    const closing = worker.close();
    await new Promise((resolve) => setTimeout(resolve, 150));
    // Shutdown has begun: ready drops, live stays, the port still answers during the delay.
    await request(url).get('/watchman/ready').expect(503);
    await request(url).get('/watchman/live').expect(200);
    await closing;
    await expect(fetch(`${url}/watchman/ping`)).rejects.toThrow();
  });
});

describe('the probe port and the process', () => {
  it('never keeps a process alive: a context that is never closed still exits by itself', async () => {
    const run = await bootContextInChild(
      { probePort: 0, probeHost: '127.0.0.1', checks: ['storage'] },
      { logger: ['log'] },
    );
    expect(run.stdout).toMatch(/probes on http:\/\/127\.0\.0\.1:\d+\/watchman\/ready/);
    expect([run.code, run.signal]).toEqual([0, null]);
  }, 30_000);
});
