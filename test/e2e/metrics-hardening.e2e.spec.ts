import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { register } from 'prom-client';
import request from 'supertest';
import { WatchmanCheck, WatchmanModule, type WatchmanModuleOptions } from 'nestjs-watchman';
import { FailingCheck, PassingCheck, ShardsCheck, RunCounter } from '../fixtures/checks.js';
import { ADAPTERS, withApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';

// SPEC "Hardening", metrics: a `critical` label for alerts that page, durations without
// float noise, and the app's own registry collected at scrape time (never a `watchman_up 1`
// nobody measured).

/** A check a test turns on and off. */
const toggle = { ok: false, counter: new RunCounter() };
@WatchmanCheck('toggle')
@Injectable()
class ToggleCheck {
  check() {
    toggle.counter.enter();
    toggle.counter.leave();
    if (!toggle.ok) throw new Error('toggled off');
  }
}

/** The README's way of exposing the app's own registry. */
@Controller('metrics')
class AppMetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}

/** `name{labels}` → the value as written, for every sample line of a text exposition. */
function rawSamples(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) found.set(match[1], match[2]);
  }
  return found;
}

function samples(text: string): Map<string, number> {
  return new Map([...rawSamples(text)].map(([name, value]) => [name, Number(value)]));
}

const TOKEN = 'WATCHMAN-TOKEN Token="t"';

function app(options: WatchmanModuleOptions, providers: Array<new (...args: never[]) => unknown>) {
  return {
    imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), tokens: ['t'], ...options })],
    controllers: [AppMetricsController],
    providers,
  };
}

describe.each(ADAPTERS)('metrics hardening on %s', (adapter) => {
  it('labels check_up and runs_total with critical="true|false": a non-critical failure leaves watchman_up 1', async () => {
    await withApp(
      app({ checks: ['passing', 'failing'], nonCritical: ['failing'] }, [PassingCheck, FailingCheck]),
      adapter,
      async ({ url }) => {
        const text = (await request(url).get('/watchman/metrics').set('Authorization', TOKEN).expect(200)).text;
        const values = samples(text);
        expect(values.get('watchman_check_up{check="failing",alias="",critical="false"}')).toBe(0);
        expect(values.get('watchman_check_up{check="passing",alias="",critical="true"}')).toBe(1);
        expect(values.get('watchman_check_runs_total{check="failing",alias="",critical="false",result="failed"}')).toBe(
          1,
        );
        expect(values.get('watchman_check_runs_total{check="passing",alias="",critical="true",result="ok"}')).toBe(1);
        expect(values.get('watchman_up')).toBe(1);
        // The duration keeps its two labels only.
        expect(values.has('watchman_check_duration_seconds{check="failing",alias=""}')).toBe(true);
      },
    );
  });

  it('writes every duration rounded to the microsecond (at most 6 decimals)', async () => {
    await withApp(
      app({ checks: ['passing', 'failing', 'shards'] }, [PassingCheck, FailingCheck, ShardsCheck]),
      adapter,
      async ({ url }) => {
        // A few scrapes, so float noise would have had its chances.
        for (let i = 0; i < 3; i += 1) {
          const text = (await request(url).get('/watchman/metrics').set('Authorization', TOKEN).expect(200)).text;
          const durations = [...rawSamples(text)].filter(([name]) =>
            name.startsWith('watchman_check_duration_seconds'),
          );
          expect(durations).toHaveLength(5); // passing, failing, and shards' three aliases
          for (const [name, value] of durations) expect(`${name} ${value}`).toMatch(/ \d+(\.\d{1,6})?$/);
          for (const [, value] of durations) expect(Number(value)).toBe(Math.round(Number(value) * 1e6) / 1e6);
        }
      },
    );
  });

  it('in the app’s own registry: no watchman_up 1 after a boot with a failing check, the series collected at scrape time', async () => {
    toggle.ok = false;
    await withApp(
      app({ checks: ['passing', 'toggle'], openRouteTtl: 0 }, [PassingCheck, ToggleCheck]),
      adapter,
      async ({ url }) => {
        // Nobody asked watchman anything yet: the app's scrape runs the checks itself.
        const before = toggle.counter.runs;
        const first = samples((await request(url).get('/metrics').expect(200)).text);
        expect(first.get('watchman_up')).toBe(0);
        expect(first.get('watchman_check_up{check="toggle",alias="",critical="true"}')).toBe(0);
        expect(first.get('watchman_check_up{check="passing",alias="",critical="true"}')).toBe(1);
        // One run per scrape, however many metrics asked to be collected.
        expect(toggle.counter.runs - before).toBe(1);

        // Not stale: the next scrape sees the check come back, with no request to watchman between.
        toggle.ok = true;
        const second = samples((await request(url).get('/metrics').expect(200)).text);
        expect(second.get('watchman_check_up{check="toggle",alias="",critical="true"}')).toBe(1);
        expect(second.get('watchman_up')).toBe(1);
        expect(second.get('watchman_check_runs_total{check="toggle",alias="",critical="true",result="failed"}')).toBe(
          1,
        );
        expect(second.get('watchman_check_runs_total{check="toggle",alias="",critical="true",result="ok"}')).toBe(1);
        expect(toggle.counter.runs - before).toBe(2);
      },
    );
  });

  it('shows no watchman_up 1 while a critical check has no result yet (route narrowed to another check)', async () => {
    toggle.ok = true;
    await withApp(app({ checks: ['passing', 'toggle'] }, [PassingCheck, ToggleCheck]), adapter, async ({ url }) => {
      const before = toggle.counter.runs;
      const narrowed = samples(
        (await request(url).get('/watchman/metrics?check=passing').set('Authorization', TOKEN).expect(200)).text,
      );
      // The route ran only what it was asked (its own render does not collect the rest) …
      expect(toggle.counter.runs).toBe(before);
      expect(narrowed.get('watchman_check_up{check="passing",alias="",critical="true"}')).toBe(1);
      // … and does not claim up for a check never measured.
      expect(narrowed.get('watchman_up')).toBe(0);
      const all = samples((await request(url).get('/watchman/metrics').set('Authorization', TOKEN).expect(200)).text);
      expect(all.get('watchman_up')).toBe(1);
    });
  });

  it('a scrape of the app’s registry never runs a check more often than openRouteTtl', async () => {
    toggle.ok = true;
    await withApp(app({ checks: ['toggle'], openRouteTtl: 60_000 }, [ToggleCheck]), adapter, async ({ url }) => {
      const before = toggle.counter.runs;
      for (let i = 0; i < 5; i += 1) await request(url).get('/metrics').expect(200);
      expect(toggle.counter.runs - before).toBe(1);
    });
  });
});

describe('the app’s registry after the module closed', () => {
  it('keeps no series of a registration that is gone', async () => {
    await withApp(app({ checks: ['passing'] }, [PassingCheck]), 'express', async ({ url }) => {
      await request(url).get('/metrics').expect(200);
    });
    const left = samples(await register.metrics());
    expect([...left.keys()].filter((name) => name.startsWith('watchman_check_'))).toEqual([]);
    expect(left.get('watchman_up')).not.toBe(1);
  });
});
