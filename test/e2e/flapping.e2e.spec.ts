import { Injectable } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import request from 'supertest';
import { WatchmanCheck, WatchmanModule, type WatchmanModuleOptions } from 'nestjs-watchman';
import { RunCounter, StatusEventsRecorder } from '../fixtures/checks.js';
import { ADAPTERS, bootOnly, using } from '../support/http-app.js';
import { watchmanApp } from '../support/watchman-app.js';
import { tempDir } from '../support/temp-dir.js';
import { until } from '../support/until.js';
import { withEnv } from '../support/with-env.js';

// SPEC "…and flapping": a check that flaps on one slow answer must not take an instance in
// and out of rotation (MaxContiguousFails, failures_before_critical); per-check schedules.
const TOKEN = 'flap-token';

/** Fails while `Flappy.down`. */
@WatchmanCheck('flappy', { failAfter: 3, recoverAfter: 2 })
@Injectable()
class Flappy {
  static down = false;
  static counter = new RunCounter();
  check() {
    Flappy.counter.runs += 1;
    if (Flappy.down) throw new Error('answered in 3 s');
    return { fine: true };
  }
}

/** Runs on its own schedule. */
@WatchmanCheck('scheduled')
@Injectable()
class Scheduled {
  static counter = new RunCounter();
  check() {
    Scheduled.counter.runs += 1;
  }
}

const start = (adapter: (typeof ADAPTERS)[number], options: WatchmanModuleOptions = {}) =>
  watchmanApp({ tokens: [TOKEN], checks: ['flappy'], openRouteTtl: 0, ...options })
    .imports(EventEmitterModule.forRoot())
    .providers(Flappy, Scheduled, StatusEventsRecorder)
    .start(adapter);

const json = async (url: string) => {
  const res = await request(url).get(`/watchman?watchman-token=${TOKEN}`);
  return [res.status, res.body.flappy] as const;
};

describe.each(ADAPTERS)('failAfter and recoverAfter on %s', (adapter) => {
  beforeEach(() => {
    Flappy.down = false;
    StatusEventsRecorder.seen = [];
  });

  it('report a change only once it has held, with pending meanwhile; codes, metrics and events follow', async () => {
    await using(start(adapter), async ({ url }) => {
      expect(await json(url)).toEqual([200, { ok: true, fine: true }]);
      Flappy.down = true;
      expect(await json(url)).toEqual([
        200,
        { ok: true, pending: { ok: false, count: 1, of: 3, error: 'answered in 3 s' } },
      ]);
      // A scrape runs it too (the second failure): the gauge follows what is reported.
      const metrics = await request(url).get(`/watchman/metrics?watchman-token=${TOKEN}`);
      expect(metrics.text).toMatch(/watchman_check_up\{[^}]*check="flappy"[^}]*\} 1\n/);
      expect(StatusEventsRecorder.seen).toEqual([]);

      // The third failure in a row: now it is failed.
      const [status, body] = await json(url);
      expect([status, body.ok, body.error, 'pending' in body]).toEqual([500, false, 'answered in 3 s', false]);
      expect((await request(url).get('/watchman/ready')).status).toBe(503);
      expect(StatusEventsRecorder.seen.map(({ check, ok }) => [check, ok])).toEqual([['flappy', false]]);

      Flappy.down = false;
      const [held, recovering] = await json(url);
      expect([held, recovering.ok, recovering.pending]).toEqual([500, false, { ok: true, count: 1, of: 2 }]);
      expect(await json(url)).toEqual([200, { ok: true, fine: true }]);
      expect(StatusEventsRecorder.seen.map(({ check, ok }) => [check, ok])).toEqual([
        ['flappy', false],
        ['flappy', true],
      ]);
    });
  });

  it('a blip shorter than failAfter never shows as a failure', async () => {
    await using(start(adapter), async ({ url }) => {
      await json(url);
      for (let i = 0; i < 12; i += 1) {
        Flappy.down = i % 3 !== 2; // two slow answers, then a good one, over and over
        if (i % 2 === 0) expect((await json(url))[0]).toBe(200);
        else expect((await request(url).get('/watchman/ready')).status).toBe(200);
      }
      expect(StatusEventsRecorder.seen).toEqual([]);
    });
  });

  it('come from WATCHMAN_CHECK_OPTIONS too, over what the decorator declares', async () => {
    await withEnv({ WATCHMAN_CHECK_OPTIONS: '{"flappy":{"failAfter":1}}' }, () =>
      using(start(adapter), async ({ url }) => {
        await json(url);
        Flappy.down = true;
        const [status, body] = await json(url);
        expect([status, body.ok]).toEqual([500, false]);
      }),
    );
  });
});

describe.each(ADAPTERS)('per-check schedules on %s', (adapter) => {
  beforeEach(() => (Flappy.down = false));

  it('run a check on its own interval without refreshInterval, and answer from its latest result', async () => {
    const app = start(adapter, { checks: ['scheduled', 'flappy'], checkOptions: { scheduled: { interval: 30 } } });
    await using(app, async ({ url }) => {
      const before = Scheduled.counter.runs;
      expect(
        await until(
          () => Scheduled.counter.runs - before,
          (n) => n >= 4,
        ),
      ).toBeGreaterThanOrEqual(4);
      // Its answers come from the refresh; flappy (no interval) still runs per request.
      const flappyRuns = Flappy.counter.runs;
      const during = Scheduled.counter.runs;
      const started = performance.now();
      for (let i = 0; i < 5; i += 1) await request(url).get(`/watchman?watchman-token=${TOKEN}`).expect(200);
      const elapsed = performance.now() - started;
      expect(Flappy.counter.runs - flappyRuns).toBe(5);
      expect(Scheduled.counter.runs - during).toBeLessThanOrEqual(Math.ceil(elapsed / 30) + 1);
    });
  });

  it('read "no result yet" before the first run after initialDelay, and startup stays 503', async () => {
    const app = start(adapter, {
      checks: ['scheduled'],
      checkOptions: { scheduled: { interval: 60_000, initialDelay: 60_000 } },
    });
    await using(app, async ({ url }) => {
      const res = await request(url).get(`/watchman?watchman-token=${TOKEN}`);
      expect([res.status, res.body.scheduled.ok, res.body.scheduled.error]).toEqual([500, false, 'no result yet']);
      expect((await request(url).get('/watchman/startup')).status).toBe(503);
    });
  });
});

describe('schedule settings', () => {
  it.each([
    [{ failAfter: 0 }, /failAfter: expected a whole number of runs/],
    [{ jitter: 1.5 }, /jitter: expected a fraction from 0 to 1/],
    [{ interval: 2_147_483_648 }, /interval: expected a positive integer of milliseconds/],
  ])('are refused in @WatchmanCheck when wrong: %j', (settings, message) => {
    expect(() => WatchmanCheck('x', settings)).toThrow(message);
  });

  it('are refused in checkOptions at start-up, naming the option', async () => {
    await expect(
      bootOnly({
        imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checkOptions: { caches: { recoverAfter: -1 } } })],
      }),
    ).rejects.toThrow(/checkOptions/);
  });
});
