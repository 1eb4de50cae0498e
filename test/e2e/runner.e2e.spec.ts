import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { WatchmanCheck, WatchmanRunner } from 'nestjs-watchman';
import { FailingCheck, PassingCheck, RunCounter, sleep } from '../fixtures/checks.js';
import { ADAPTERS, using } from '../support/http-app.js';
import { watchmanApp } from '../support/watchman-app.js';

/** Ten checks that each sleep 50 ms and record how many of them run at once. */
const overlap = new RunCounter();
const sleepers = Array.from({ length: 10 }, (_, i) => {
  @WatchmanCheck(`sleeper_${i}`)
  @Injectable()
  class Sleeper {
    async check(signal: AbortSignal) {
      overlap.enter();
      try {
        await sleep(50, signal);
      } finally {
        overlap.leave();
      }
    }
  }
  return Sleeper;
});

const hangs = { started: 0, aborted: 0, lateResolved: 0 };
@WatchmanCheck('hangs')
@Injectable()
class HangingCheck {
  check(signal: AbortSignal) {
    hangs.started += 1;
    signal.addEventListener('abort', () => {
      hangs.aborted += 1;
    });
    return new Promise(() => undefined); // never settles
  }
}

@WatchmanCheck('late')
@Injectable()
class LateCheck {
  async check() {
    await sleep(150); // ignores its signal, resolves after the timeout
    hangs.lateResolved += 1;
    throw new Error('too late to matter');
  }
}

const slow = new RunCounter();
@WatchmanCheck('slow')
@Injectable()
class SlowCheck {
  async check() {
    slow.enter();
    await sleep(400); // long enough for all concurrent requests to arrive during the run
    slow.leave();
    return { run: slow.runs };
  }
}

/** One alias hangs; the others answer at once. */
@WatchmanCheck('pools')
@Injectable()
class PoolsCheck {
  aliases() {
    return ['fast', 'stuck', 'quick'];
  }
  checkAlias(alias: string) {
    return alias === 'stuck' ? new Promise(() => undefined) : Promise.resolve();
  }
}

describe.each(ADAPTERS)('runner on %s', (adapter) => {
  it('runs every check at the same time', async () => {
    const names = sleepers.map((_, i) => `sleeper_${i}`);
    await using(watchmanApp({ checks: names }, ...sleepers).start(adapter), async (app) => {
      overlap.maxActive = 0;
      const res = await request(app.url).get('/watchman').expect(200);
      expect(Object.keys(res.body)).toHaveLength(10);
      expect(overlap.maxActive).toBe(10);
    });
  });

  it('times a hung check out, aborts its signal, and the others still report ok', async () => {
    const options = { checks: ['hangs', 'late', 'passing'], checkTimeout: 80 };
    await using(watchmanApp(options, HangingCheck, LateCheck, PassingCheck).start(adapter), async (app) => {
      const before = { ...hangs };
      const res = await request(app.url).get('/watchman').expect(500);
      expect(res.body.hangs).toEqual({ ok: false, error: 'timed out after 80 ms' });
      expect(res.body.late).toEqual({ ok: false, error: 'timed out after 80 ms' });
      expect(res.body.passing.ok).toBe(true);
      expect(hangs.aborted).toBe(before.aborted + 1);
      // the late result arrives after the response and is discarded without harm
      await sleep(120);
      expect(hangs.lateResolved).toBe(before.lateResolved + 1);
      await request(app.url).get('/watchman/ping').expect(200);
    });
  });

  it('times out each alias on its own', async () => {
    await using(watchmanApp({ checks: ['pools'], checkTimeout: 60 }, PoolsCheck).start(adapter), async (app) => {
      const res = await request(app.url).get('/watchman').expect(500);
      expect(res.body.pools).toEqual([
        { fast: { ok: true } },
        { quick: { ok: true } },
        { stuck: { ok: false, error: 'timed out after 60 ms' } },
      ]);
    });
  });

  it('shares one run between concurrent requests for the same checks, on every route', async () => {
    await using(watchmanApp({ checks: ['slow', 'passing'] }, SlowCheck, PassingCheck).start(adapter), async (app) => {
      const before = slow.runs;
      const paths = [
        '/watchman',
        '/watchman/bare',
        '/watchman/dashboard',
        '/watchman?check=slow,passing',
        '/watchman?skip=none',
      ];
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) => request(app.url).get(paths[i % paths.length])),
      );
      expect(responses.every((res) => res.status === 200)).toBe(true);
      expect(slow.runs - before).toBe(1);
      // another selection is a different run
      await request(app.url).get('/watchman?check=slow').expect(200);
      expect(slow.runs - before).toBe(2);
      // and once a run is over, the next request runs again (no cacheTtl)
      await request(app.url).get('/watchman').expect(200);
      expect(slow.runs - before).toBe(3);
    });
  });

  it('reuses the last result for cacheTtl', async () => {
    await using(watchmanApp({ checks: ['slow'], cacheTtl: 400 }, SlowCheck).start(adapter), async (app) => {
      const first = await request(app.url).get('/watchman').expect(200);
      const second = await request(app.url).get('/watchman').expect(200);
      expect(second.body.slow.run).toBe(first.body.slow.run);
      await sleep(450);
      const third = await request(app.url).get('/watchman').expect(200);
      expect(third.body.slow.run).toBe(first.body.slow.run + 1);
    });
  });
});

describe('WatchmanRunner used directly', () => {
  it('keeps its own copy of the names it was asked for: a caller changing its array changes no later report', async () => {
    const app = watchmanApp({ checks: ['failing', 'passing'], cacheTtl: 60_000 }, FailingCheck, PassingCheck);
    await using(app.boot(), async ({ app: nest }) => {
      const runner = nest.get(WatchmanRunner);
      await runner.runNames(['failing', 'passing']); // runs
      const asked = ['failing', 'passing'];
      await runner.runNames(asked); // reused, and kept for the next caller asking the same
      asked.splice(0, 1); // now the caller's array names `passing` alone
      const report = await runner.runNames(['passing']);
      expect(report.checks.map((check) => check.name)).toEqual(['passing']);
      expect(report.ok).toBe(true);
    });
  });

  it('gives callers asking the same the same frozen report while its results hold, and a new one once they change', async () => {
    await using(watchmanApp({ checks: ['passing'], cacheTtl: 300 }, PassingCheck).boot(), async ({ app }) => {
      const runner = app.get(WatchmanRunner);
      await runner.runNames(['passing']); // runs
      const reused = await runner.runNames(['passing']);
      const again = await runner.runNames(['passing']);
      expect(again).toBe(reused);
      expect(Object.isFrozen(again) && Object.isFrozen(again.checks)).toBe(true);
      // A new run kept moves the store: the next report is built from it.
      await runner.refresh(['passing']);
      const renewed = await runner.runNames(['passing']);
      expect(renewed).not.toBe(again);
      expect(renewed.checks[0]).not.toBe(again.checks[0]);
      expect(renewed.checks[0]).toBe(runner.lastReport('passing'));
      // Once the result expires, a run again.
      await sleep(350);
      const expired = await runner.runNames(['passing']);
      expect(expired.checks[0]).not.toBe(renewed.checks[0]);
    });
  });

  it('is exported for apps that want a report in code', async () => {
    await using(watchmanApp({ checks: ['passing'] }, PassingCheck).boot(), async ({ app }) => {
      const runner = app.get(WatchmanRunner);
      const report = await runner.run();
      expect(report.ok).toBe(true);
      expect(report.checks.map((check) => check.name)).toEqual(['passing']);
      expect(report.checks[0].outcome.durationMs).toBeGreaterThanOrEqual(0);
      expect(report.checks[0].outcome.measuredAt).toBeInstanceOf(Date);
      expect(runner.select({ skip: ['passing'] })).toEqual([]);
    });
  });
});
