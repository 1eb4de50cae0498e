import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get } from '@nestjs/common';
import { isWatchmanRequest } from 'nestjs-watchman';
import { isWatchmanRequest as fromOtelEntry } from 'nestjs-watchman/otel';
import { WatchmanProbePort } from '../../lib/http/probe-port.server.js';
import { PassingCheck } from '../fixtures/checks.js';
import { ADAPTERS, startHttpApp, using } from '../support/http-app.js';
import { watchmanApp } from '../support/watchman-app.js';

// `isWatchmanRequest(req)`, for OpenTelemetry's `ignoreIncomingRequestHook` (and any APM hook):
// true for what watchman answers, false for the app's own requests, from where the running
// app mounted watchman.

@Controller('hello')
class HelloController {
  @Get()
  hello(): string {
    return 'hello';
  }
}

const PATHS: Array<[string, boolean]> = [
  ['/hello', false],
  ['/watchman', true],
  ['/watchman/', true],
  ['/watchman/ping', true],
  ['/WATCHMAN/Ready?verbose', true],
  ['/watchman/passing', true],
  ['/watchman/no-such-route', true],
  ['/watchmanx', false],
  ['/', false],
];

describe.each(ADAPTERS)('isWatchmanRequest on %s', (adapter) => {
  it('tells watchman’s requests from the app’s, on the IncomingMessage the server received', async () => {
    const seen: Array<[string, boolean]> = [];
    // A global middleware sees Node's own request object (Express's extends it; Fastify's middie passes it raw).
    const record = (req: IncomingMessage, _res: ServerResponse, next: () => void) => {
      seen.push([req.url ?? '', isWatchmanRequest(req)]);
      next();
    };
    const metadata = watchmanApp({ checks: ['passing'] }, PassingCheck)
      .controllers(HelloController)
      .metadata();
    await using(startHttpApp(metadata, adapter, { configure: (app) => app.use(record) }), async ({ url }) => {
      for (const [path] of PATHS) await (await fetch(`${url}${path}`)).arrayBuffer();
    });
    // (Fastify's request has its trailing slash dropped by watchman's gate, before the middleware.)
    expect(seen.map(([, ours]) => ours)).toEqual(PATHS.map(([, ours]) => ours));
  });
});

describe('isWatchmanRequest', () => {
  it('follows the global prefix and the probe port, reads Express and Fastify requests, and forgets an app that closed', async () => {
    const running = watchmanApp({ checks: ['passing'], probePort: 0, probeHost: '127.0.0.1' }, PassingCheck)
      .globalPrefix('api')
      .start();
    const cases = await using(running, async ({ app }) => {
      const probePort = app.get(WatchmanProbePort).port ?? 0;
      expect(probePort).toBeGreaterThan(0);
      const expected: Array<[Parameters<typeof isWatchmanRequest>[0], boolean]> = [
        [{ url: '/api/watchman/ready' }, true],
        [{ url: '/watchman/ready' }, false], // not where this app mounted it
        [{ url: 'http://app:3000/api/watchman/bare?x=1' }, true], // absolute-form target
        [{ originalUrl: '/api/watchman', url: '/' }, true], // Express, below a mount
        [{ raw: { url: '/api/watchman/live' } }, true], // Fastify's request
        [{ url: '/api/hello' }, false],
        [{ url: '/anything', socket: { localPort: probePort } }, true], // every request on the probe port
        [{ url: '/anything', socket: { localPort: probePort + 1 } }, false],
      ];
      for (const [request, answer] of expected)
        expect([request, isWatchmanRequest(request)]).toEqual([request, answer]);
      // The light entry point for OpenTelemetry setup files answers the same.
      for (const [request, answer] of expected) expect([request, fromOtelEntry(request)]).toEqual([request, answer]);
      return expected;
    });
    // Closed: nothing is watchman's any more.
    for (const [request] of cases) expect([request, isWatchmanRequest(request)]).toEqual([request, false]);
  });

  it('with watchman at the root, counts only its own routes', async () => {
    await using(watchmanApp({ checks: ['passing'], path: '/' }, PassingCheck).start(), async () => {
      expect(isWatchmanRequest({ url: '/ready' })).toBe(true);
      expect(isWatchmanRequest({ url: '/ping' })).toBe(true);
      expect(isWatchmanRequest({ url: '/hello' })).toBe(false);
    });
  });

  it('is false while no watchman is running', () => {
    expect(isWatchmanRequest({ url: '/watchman/ready' })).toBe(false);
  });
});
