import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { WatchmanCheck, WatchmanHistory, WatchmanLifecycle } from 'nestjs-watchman';
import { FailingCheck, PassingCheck, RunCounter, sleep } from '../fixtures/checks.js';
import { ADAPTERS, type RunningApp, using } from '../support/http-app.js';
import { watchmanApp } from '../support/watchman-app.js';
import { withEnv } from '../support/with-env.js';

@WatchmanCheck('optional', { critical: false })
@Injectable()
class OptionalFailingCheck {
  check(): never {
    throw new Error('optional is down');
  }
}

/** Multi-resource, one alias failing, with a reason worth hiding from strangers. */
@WatchmanCheck('pools')
@Injectable()
class PoolsCheck {
  aliases() {
    return ['main', 'replica'];
  }
  checkAlias(alias: string) {
    if (alias === 'replica') throw new Error('replica at 10.0.0.7:5432 refused\nsecond line');
  }
}

const slowRuns = new RunCounter();
@WatchmanCheck('slow')
@Injectable()
class SlowCheck {
  async check() {
    slowRuns.enter();
    try {
      await sleep(120);
    } finally {
      slowRuns.leave();
    }
  }
}

const hanging = new RunCounter();
@WatchmanCheck('hangs')
@Injectable()
class HangingCheck {
  check() {
    hanging.enter();
    return new Promise(() => undefined);
  }
}

@WatchmanCheck('quick_timeout', { timeout: 60 })
@Injectable()
class ShortTimeoutCheck {
  check(signal: AbortSignal) {
    return sleep(1000, signal);
  }
}

describe.each(ADAPTERS)('live and ready on %s', (adapter) => {
  describe('all passing', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await watchmanApp({ checks: ['passing', 'storage'], liveChecks: ['passing'] }, PassingCheck).start(adapter);
    });
    afterAll(() => app.close());

    it.each(['/watchman/live', '/watchman/live/', '/watchman/ready', '/watchman/ready/'])(
      '%s answers ok as text/plain',
      async (path) => {
        const res = await request(app.url).get(path).expect(200, 'ok');
        expect(res.headers['content-type']).toMatch(/^text\/plain/);
      },
    );

    it.each(['/watchman/live', '/watchman/ready'])('HEAD %s works like GET', async (path) => {
      const res = await request(app.url).head(path).expect(200);
      expect(res.text ?? '').toBe('');
    });

    it('ready runs the configured checks by default, live only the liveChecks', async () => {
      const res = await request(app.url).get('/watchman/ready?verbose').expect(200);
      expect(res.text).toBe('[+]passing ok\n[+]storage ok\nready check passed\n');
      const live = await request(app.url).get('/watchman/live?verbose').expect(200);
      expect(live.text).toBe('[+]passing ok\nlive check passed\n');
    });

    it('honours ?exclude= and ?check= (repeatable, comma lists, dotted names)', async () => {
      expect((await request(app.url).get('/watchman/ready?verbose&exclude=passing').expect(200)).text).toBe(
        '[+]storage ok\nready check passed\n',
      );
      expect(
        (await request(app.url).get('/watchman/ready?verbose&check=watchman.checks.storage').expect(200)).text,
      ).toBe('[+]storage ok\nready check passed\n');
      expect((await request(app.url).get('/watchman/ready?verbose&exclude=passing,storage').expect(200)).text).toBe(
        'ready check passed\n',
      );
    });

    it('never runs a check on live when none is configured', async () => {
      await using(watchmanApp({ checks: ['passing'] }, PassingCheck).start(adapter), async (plain) => {
        const before = PassingCheck.counter.runs;
        await request(plain.url).get('/watchman/live?verbose').expect(200, 'live check passed\n');
        expect(PassingCheck.counter.runs).toBe(before);
      });
    });
  });

  describe('failing checks', () => {
    let app: RunningApp;
    beforeAll(async () => {
      const options = { tokens: ['t'], checks: ['pools', 'optional', 'passing'], readyChecks: ['pools', 'optional'] };
      app = await watchmanApp(options, PoolsCheck, OptionalFailingCheck, PassingCheck).start(adapter);
    });
    afterAll(() => app.close());

    it('answers failed 503, and in verbose one line per alias without the reason for a stranger', async () => {
      await request(app.url).get('/watchman/ready').expect(503, 'failed');
      const res = await request(app.url).get('/watchman/ready?verbose').expect(503);
      expect(res.text).toBe(
        '[-]optional failed (non-critical)\n[+]pools/main ok\n[-]pools/replica failed\nready check failed\n',
      );
      expect(res.text).not.toContain('10.0.0.7');
    });

    it('gives the reason, on one line, to a caller with a valid token', async () => {
      const res = await request(app.url)
        .get('/watchman/ready?verbose')
        .set('Authorization', 'WATCHMAN-TOKEN Token="t"')
        .expect(503);
      expect(res.text).toBe(
        '[-]optional failed (non-critical): optional is down\n[+]pools/main ok\n[-]pools/replica failed: replica at 10.0.0.7:5432 refused second line\nready check failed\n',
      );
      const wrong = await request(app.url).get('/watchman/ready?verbose&watchman-token=nope').expect(503);
      expect(wrong.text).not.toContain('10.0.0.7');
    });

    it('passes when only a non-critical check fails: JSON, bare and ready stay 200, the failure still shows', async () => {
      const json = await request(app.url).get('/watchman?check=optional,passing&watchman-token=t').expect(200);
      expect(json.body.optional).toEqual({
        ok: false,
        critical: false,
        error: 'optional is down',
        stacktrace: expect.stringContaining('optional is down'),
      });
      await request(app.url).get('/watchman/bare?check=optional').expect(200);
      await request(app.url).get('/watchman/ready?check=optional').expect(200, 'ok');
      const health = await request(app.url)
        .get('/watchman?check=optional,passing&watchman-token=t')
        .set('Accept', 'application/health+json')
        .expect(200);
      expect(health.body.status).toBe('warn');
      const page = await request(app.url).get('/watchman/dashboard?check=optional&watchman-token=t').expect(200);
      expect(page.text).toContain('<tr class="warn">');
      expect(page.text).toContain('⚠ warning');
    });
  });

  it('marks built-ins non-critical with checkOptions and WATCHMAN_NON_CRITICAL, and overrides a check’s timeout', async () => {
    const app = watchmanApp({
      storagePath: 'x',
      checks: ['storage', 'failing', 'quick_timeout', 'passing'],
      checkOptions: { storage: { critical: false }, passing: { timeout: 1 } },
      checkTimeout: 5000,
    }).providers(FailingCheck, ShortTimeoutCheck, PassingCheck);
    await withEnv({ WATCHMAN_NON_CRITICAL: 'failing' }, () =>
      using(app.start(adapter), async (running) => {
        const res = await request(running.url).get('/watchman').expect(500);
        expect(res.body.failing).toMatchObject({ ok: false, critical: false });
        expect(res.body.quick_timeout).toEqual({ ok: false, error: 'timed out after 60 ms' });
        expect(res.body.passing).toEqual({ ok: false, error: 'timed out after 1 ms' });
        expect(res.body.storage).toEqual({ ok: true });
        await request(running.url).get('/watchman?check=failing,storage').expect(200);
      }),
    );
  });
});

describe('probe options at start-up', () => {
  it.each([
    [{ liveChecks: ['passing', 'nope'] }, /liveChecks \(WATCHMAN_LIVE_CHECKS\) "nope": unknown check name/],
    [{ readyChecks: ['ghost'] }, /readyChecks \(WATCHMAN_READY_CHECKS\) "ghost": unknown check name/],
    [{ checkOptions: { typo: { critical: false } } }, /checkOptions "typo": unknown check name/],
  ])('stops on %j, naming the option and the value', async (options, message) => {
    await expect(watchmanApp(options, PassingCheck).bootAndClose()).rejects.toThrow(message);
  });

  it('reads WATCHMAN_LIVE_CHECKS and WATCHMAN_READY_CHECKS', async () => {
    await withEnv({ WATCHMAN_LIVE_CHECKS: 'watchman.checks.storage', WATCHMAN_READY_CHECKS: 'passing' }, () =>
      using(watchmanApp({}, PassingCheck).start(), async (app) => {
        expect((await request(app.url).get('/watchman/live?verbose')).text).toBe('[+]storage ok\nlive check passed\n');
        expect((await request(app.url).get('/watchman/ready?verbose')).text).toBe(
          '[+]passing ok\nready check passed\n',
        );
      }),
    );
  });
});

describe.each(ADAPTERS)('background refresh on %s', (adapter) => {
  it('runs the checks from boot on the interval, one run at a time, with the history filling without traffic', async () => {
    const before = slowRuns.runs;
    slowRuns.maxActive = 0;
    await using(watchmanApp({ checks: ['slow'], refreshInterval: 40 }, SlowCheck).start(adapter), async (app) => {
      await sleep(700);
      // The check takes 120 ms, three intervals: a tick never starts a second run of it.
      expect(slowRuns.maxActive).toBe(1);
      expect(slowRuns.runs - before).toBeGreaterThanOrEqual(3);
      expect(app.app.get(WatchmanHistory).get('slow').entries.length).toBeGreaterThanOrEqual(3);
      // Requests answer from the latest results: a storm runs nothing more.
      const during = slowRuns.runs;
      const started = performance.now();
      const responses = await Promise.all(Array.from({ length: 30 }, () => request(app.url).get('/watchman')));
      const elapsed = performance.now() - started;
      expect(responses.every((res) => res.status === 200)).toBe(true);
      // Only the refresh ran meanwhile, one run at a time (each takes 120 ms), however slow a
      // loaded machine made the storm.
      expect(slowRuns.runs - during).toBeLessThanOrEqual(Math.ceil(elapsed / 120) + 1);
      expect(slowRuns.maxActive).toBe(1);
    });
    const after = slowRuns.runs;
    await sleep(200);
    expect(slowRuns.runs).toBe(after); // stopped with the app
  });

  it('answers at once from the latest result while a backend hangs, without starting the check again', async () => {
    // One run at boot (the next tick is a minute away): every answer after it comes from that result.
    const options = { checks: ['hangs', 'passing'], refreshInterval: 60_000, checkTimeout: 200 };
    await using(watchmanApp(options, HangingCheck, PassingCheck).start(adapter), async (app) => {
      await sleep(400);
      const started = hanging.runs;
      const ready = await request(app.url).get('/watchman/ready?verbose').expect(503);
      await Promise.all(Array.from({ length: 20 }, () => request(app.url).get('/watchman/bare').expect(500)));
      expect(ready.text).toContain('[-]hangs failed');
      expect(ready.text).toContain('[+]passing ok');
      expect(hanging.runs).toBe(started);
    });
  });

  it('reports a result older than 2 × (refreshInterval + checkTimeout) as stale', async () => {
    const options = { checks: ['passing'], refreshInterval: 50, checkTimeout: 50 };
    await using(watchmanApp(options, PassingCheck).start(adapter), async (app) => {
      await sleep(150);
      expect((await request(app.url).get('/watchman').expect(200)).body.passing.ok).toBe(true);
      // Shutdown stops the refresh (and the server keeps serving until it closes): results age.
      void app.app.get(WatchmanLifecycle).begin('test');
      await sleep(400);
      const res = await request(app.url).get('/watchman').expect(500);
      expect(res.body.passing).toMatchObject({ ok: false, error: 'stale result' });
    });
  });
});
