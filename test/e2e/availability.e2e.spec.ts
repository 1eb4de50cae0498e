import { Injectable } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import request from 'supertest';
import { WatchmanAvailability, WatchmanCheck, WatchmanModule } from 'nestjs-watchman';
import { PassingCheck, StatusEventsRecorder } from '../fixtures/checks.js';
import { ADAPTERS, bootOnly, using } from '../support/http-app.js';
import { watchmanApp } from '../support/watchman-app.js';
import { tempDir } from '../support/temp-dir.js';

// SPEC "Startup, availability…": the app's own word on its availability (Spring's
// AvailabilityChangeEvent, lightship's signalNotReady / queueBlockingTask).
const TOKEN = 'avail-token';

const start = (adapter: (typeof ADAPTERS)[number]) =>
  watchmanApp({ tokens: [TOKEN], checks: ['passing'], liveChecks: ['passing'], openRouteTtl: 0 })
    .imports(EventEmitterModule.forRoot())
    .providers(PassingCheck, StatusEventsRecorder)
    .start(adapter);

const get = async (url: string, path: string) => {
  const res = await request(url).get(path);
  return [res.status, res.text] as const;
};

describe.each(ADAPTERS)('WatchmanAvailability on %s', (adapter) => {
  beforeEach(() => (StatusEventsRecorder.seen = []));

  it('markNotReady takes ready and bare to 503 with the reason for a token holder; markReady brings them back', async () => {
    await using(start(adapter), async ({ url, app }) => {
      const availability = app.get(WatchmanAvailability);
      availability.markNotReady('maintenance window');
      expect(await get(url, '/watchman/ready')).toEqual([503, 'failed']);
      expect(await get(url, '/watchman/ready?verbose')).toEqual([
        503,
        '[+]passing ok\n[-]availability failed\nready check failed\n',
      ]);
      expect((await get(url, `/watchman/ready?verbose&watchman-token=${TOKEN}`))[1]).toContain(
        '[-]availability failed: not ready: maintenance window\n',
      );
      expect((await get(url, '/watchman/bare'))[0]).toBe(503);
      expect(await get(url, '/watchman/live')).toEqual([200, 'ok']); // not ready is not broken
      const json = await request(url).get(`/watchman?watchman-token=${TOKEN}`);
      expect([json.status, json.body.availability]).toEqual([
        500,
        { ok: false, error: 'not ready: maintenance window', ready: false, live: true },
      ]);
      const dashboard = await request(url).get(`/watchman/dashboard?watchman-token=${TOKEN}`);
      expect(dashboard.text).toContain('not ready: maintenance window');
      const metrics = await request(url).get(`/watchman/metrics?watchman-token=${TOKEN}`);
      expect(metrics.text).toContain('watchman_available{probe="ready"} 0\n');
      expect(metrics.text).toContain('watchman_available{probe="live"} 1\n');

      availability.markReady();
      expect(await get(url, '/watchman/ready')).toEqual([200, 'ok']);
      const after = await request(url).get(`/watchman/metrics?watchman-token=${TOKEN}`);
      expect(after.text).toContain('watchman_available{probe="ready"} 1\n');
      expect((await get(url, '/watchman/bare'))[0]).toBe(200);
      const healthy = await request(url).get(`/watchman?watchman-token=${TOKEN}`);
      expect([healthy.status, 'availability' in healthy.body]).toEqual([200, false]);
      // One event per flip, none per request.
      expect(StatusEventsRecorder.seen.map(({ check, ok }) => [check, ok])).toEqual([
        ['availability', false],
        ['availability', true],
      ]);
    });
  });

  it('markBroken takes live to 503 (the app asks to be restarted)', async () => {
    await using(start(adapter), async ({ url, app }) => {
      app.get(WatchmanAvailability).markBroken('heap exhausted');
      expect(await get(url, '/watchman/live')).toEqual([503, 'failed']);
      expect((await get(url, `/watchman/live?verbose&watchman-token=${TOKEN}`))[1]).toContain(
        '[-]availability failed: broken: heap exhausted\n',
      );
      expect(await get(url, '/watchman/ping')).toEqual([200, 'pong']);
    });
  });

  it('holdReadiness keeps ready 503 until the work settles, and for good when it rejects, under its name', async () => {
    await using(start(adapter), async ({ url, app }) => {
      const availability = app.get(WatchmanAvailability);
      let finish: () => void = () => undefined;
      const warm = availability.holdReadiness('warmup', new Promise<void>((resolve) => (finish = resolve)));
      expect((await get(url, `/watchman/ready?verbose&watchman-token=${TOKEN}`))[1]).toContain(
        '[-]availability failed: warmup: pending\n',
      );
      finish();
      expect(await warm).toBe(true);
      expect(await get(url, '/watchman/ready')).toEqual([200, 'ok']);

      const migrate = availability.holdReadiness('migrations', async () => {
        throw new Error('table users is locked');
      });
      expect(await migrate).toBe(false);
      expect((await get(url, `/watchman/ready?verbose&watchman-token=${TOKEN}`))[1]).toContain(
        '[-]availability failed: migrations failed: table users is locked\n',
      );
      expect(availability.state).toEqual({
        ready: false,
        live: true,
        reasons: ['migrations failed: table users is locked'],
      });
    });
  });
});

describe('the name availability', () => {
  it('is reserved for the app’s own word', async () => {
    @WatchmanCheck('availability')
    @Injectable()
    class Clashing {
      check() {
        return undefined;
      }
    }
    await expect(
      bootOnly({ imports: [WatchmanModule.forRoot({ mediaRoot: tempDir() })], providers: [Clashing] }),
    ).rejects.toThrow(/"availability" is reserved/);
  });
});
