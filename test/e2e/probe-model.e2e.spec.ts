import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { WatchmanCheck, WatchmanModule, type WatchmanModuleOptions } from 'nestjs-watchman';
import { PassingCheck, RunCounter } from '../fixtures/checks.js';
import { ADAPTERS, bootOnly, startHttpApp, using } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';

// SPEC "Startup, availability, drill-down and flapping": the startup probe's latch, the
// drill-down of each probe to one check, groups, and warnStatus.
const TOKEN = 'model-token';

/** A dependency the test warms up and breaks: fails while `Switch.down` is true. */
@WatchmanCheck('warmup')
@Injectable()
class WarmupCheck {
  static down = true;
  static counter = new RunCounter();
  check() {
    WarmupCheck.counter.runs += 1;
    if (WarmupCheck.down) throw new Error('cache not warm yet');
  }
}

@WatchmanCheck('optional', { critical: false })
@Injectable()
class OptionalCheck {
  static down = true;
  check() {
    if (OptionalCheck.down) throw new Error('optional is down');
  }
}

const app = (adapter: (typeof ADAPTERS)[number], options: WatchmanModuleOptions) =>
  startHttpApp(
    {
      imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), tokens: [TOKEN], openRouteTtl: 0, ...options })],
      providers: [PassingCheck, WarmupCheck, OptionalCheck],
    },
    adapter,
  );

describe.each(ADAPTERS)('the probe model on %s', (adapter) => {
  beforeEach(() => {
    WarmupCheck.down = true;
    OptionalCheck.down = true;
  });

  describe('startup', () => {
    it('runs the startup checks until they passed once, then latches; ready is 503 until then', async () => {
      const running = app(adapter, {
        checks: ['passing', 'warmup'],
        readyChecks: ['passing'],
        startupChecks: ['warmup'],
      });
      await using(running, async ({ url }) => {
        expect(await text(url, '/watchman/startup')).toEqual([503, 'failed']);
        expect(await text(url, '/watchman/startup?verbose')).toEqual([503, '[-]warmup failed\nstartup check failed\n']);
        // ready's own check passes; what holds it is startup, which it names.
        const ready = await text(url, `/watchman/ready?verbose&watchman-token=${TOKEN}`);
        expect(ready).toEqual([503, '[+]passing ok\n[-]startup failed\nready check failed\n']);
        expect(await text(url, '/watchman/ready/passing')).toEqual([503, 'failed']);

        WarmupCheck.down = false;
        expect(await text(url, '/watchman/startup')).toEqual([200, 'ok']);
        const runs = WarmupCheck.counter.runs;
        WarmupCheck.down = true; // broken again: startup has latched and never looks again
        for (let i = 0; i < 5; i += 1) expect(await text(url, '/watchman/startup')).toEqual([200, 'ok']);
        expect(await text(url, '/watchman/startup/warmup')).toEqual([200, 'ok']);
        expect(WarmupCheck.counter.runs).toBe(runs);
        // ready now runs only its own checks: warmup, broken again, no longer holds it.
        expect(await text(url, '/watchman/ready?verbose')).toEqual([200, '[+]passing ok\nready check passed\n']);
        expect(WarmupCheck.counter.runs).toBe(runs);
      });
    });

    it('uses the ready checks by default, and 404s a name that is not one of them', async () => {
      const running = app(adapter, { checks: ['passing', 'warmup'], readyChecks: ['passing'] });
      await using(running, async ({ url }) => {
        expect(await text(url, '/watchman/startup?verbose')).toEqual([200, '[+]passing ok\nstartup check passed\n']);
        expect(await text(url, '/watchman/startup?check=warmup&verbose')).toEqual([404, 'unknown check "warmup"\n']);
        expect(await text(url, '/watchman/ready')).toEqual([200, 'ok']);
      });
    });

    it('refuses an unknown startup check at start-up, naming the option', async () => {
      await expect(
        bootOnly({ imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), startupChecks: ['migratons'] })] }),
      ).rejects.toThrow(/startupChecks \(WATCHMAN_STARTUP_CHECKS\) "migratons": unknown check name/);
    });
  });

  describe('drill-down', () => {
    it('answers live/<check>, ready/<check> and startup/<check> for that one check, 404 for others', async () => {
      WarmupCheck.down = false;
      const running = app(adapter, {
        checks: ['passing', 'warmup'],
        liveChecks: ['passing'],
        readyChecks: ['passing', 'warmup'],
        startupChecks: ['warmup'],
      });
      await using(running, async ({ url }) => {
        const passingRuns = PassingCheck.counter.runs;
        // startup first: ready would latch it, and a latched startup runs nothing.
        for (const path of ['/watchman/startup/warmup', '/watchman/ready/warmup', '/watchman/ready/warmup/'])
          expect([path, ...(await text(url, `${path}?verbose`))]).toEqual([
            path,
            200,
            `[+]warmup ok\n${path.split('/')[2]} check passed\n`,
          ]);
        expect(PassingCheck.counter.runs).toBe(passingRuns); // only the one asked for ran
        expect(await text(url, '/watchman/live/passing')).toEqual([200, 'ok']);
        expect((await request(url).head('/watchman/live/passing')).status).toBe(200);
        for (const path of ['/watchman/live/warmup', '/watchman/startup/passing', '/watchman/ready/nope'])
          expect([path, (await text(url, path))[0]]).toEqual([path, 404]);
        WarmupCheck.down = true;
        expect(await text(url, '/watchman/ready/warmup')).toEqual([503, 'failed']);
        expect(await text(url, '/watchman/ready/passing')).toEqual([200, 'ok']);
      });
    });

    it('gives the JSON of one check at /watchman/<check>, protected', async () => {
      const running = app(adapter, { checks: ['passing', 'warmup'] });
      await using(running, async ({ url }) => {
        expect((await request(url).get('/watchman/passing')).status).toBe(403);
        const res = await request(url).get(`/watchman/passing?watchman-token=${TOKEN}`);
        expect([res.status, Object.keys(res.body)]).toEqual([200, ['passing']]);
        expect((await request(url).get(`/watchman/nope?watchman-token=${TOKEN}`)).status).toBe(404);
      });
    });
  });

  describe('groups', () => {
    it('answer as the JSON route (protected) and as bare (open) for exactly their checks', async () => {
      const running = app(adapter, {
        checks: ['passing', 'warmup', 'optional'],
        groups: { core: ['passing'], edge: ['warmup', 'optional'] },
      });
      await using(running, async ({ url }) => {
        expect((await request(url).get('/watchman/groups/core')).status).toBe(403);
        const core = await request(url).get(`/watchman/groups/core?watchman-token=${TOKEN}`);
        expect([core.status, Object.keys(core.body)]).toEqual([200, ['passing']]);
        const edge = await request(url).get(`/watchman/groups/edge/?watchman-token=${TOKEN}`);
        expect([edge.status, Object.keys(edge.body).sort()]).toEqual([500, ['optional', 'warmup']]);
        expect((await request(url).get('/watchman/bare/core')).status).toBe(200);
        expect((await request(url).get('/watchman/bare/edge')).status).toBe(500);
        expect((await request(url).head('/watchman/bare/edge')).status).toBe(500);
        expect((await request(url).get('/watchman/bare/edge?skip=warmup')).status).toBe(200);
        expect((await request(url).get(`/watchman/groups/nope?watchman-token=${TOKEN}`)).status).toBe(404);
        expect((await request(url).get('/watchman/bare/nope')).status).toBe(404);
      });
    });

    it('are validated at start-up like checks', async () => {
      await expect(
        bootOnly({ imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), groups: { core: ['databses'] } })] }),
      ).rejects.toThrow(/groups\.core \(WATCHMAN_GROUPS\) "databses": unknown check name/);
    });
  });

  describe('warnStatus', () => {
    it('is the status of the JSON, group and bare routes when only non-critical checks failed; probes keep 200', async () => {
      const running = app(adapter, {
        checks: ['passing', 'optional'],
        groups: { all: ['passing', 'optional'] },
        warnStatus: 429,
      });
      await using(running, async ({ url }) => {
        expect((await request(url).get(`/watchman?watchman-token=${TOKEN}`)).status).toBe(429);
        expect((await request(url).get(`/watchman?format=health%2Bjson&watchman-token=${TOKEN}`)).status).toBe(429);
        expect((await request(url).get(`/watchman/groups/all?watchman-token=${TOKEN}`)).status).toBe(429);
        expect((await request(url).get('/watchman/bare')).status).toBe(429);
        expect((await request(url).get('/watchman/bare/all')).status).toBe(429);
        expect(await text(url, '/watchman/ready')).toEqual([200, 'ok']);
        expect(await text(url, '/watchman/startup')).toEqual([200, 'ok']);
        OptionalCheck.down = false;
        expect((await request(url).get('/watchman/bare')).status).toBe(200);
        expect((await request(url).get(`/watchman?watchman-token=${TOKEN}`)).status).toBe(200);
      });
    });
  });
});

async function text(url: string, path: string): Promise<[number, string]> {
  const res = await request(url).get(path);
  return [res.status, res.text];
}

describe.each(ADAPTERS)(
  'ready before startup has latched, startup checks being the ready ones (default), on %s',
  (adapter) => {
    it('runs them once per probe and shows every ready line, without a startup line', async () => {
      WarmupCheck.down = true;
      const running = app(adapter, { checks: ['passing', 'warmup'] });
      await using(running, async ({ url }) => {
        const runs = WarmupCheck.counter.runs;
        expect(await text(url, '/watchman/ready?verbose')).toEqual([
          503,
          '[+]passing ok\n[-]warmup failed\nready check failed\n',
        ]);
        expect(WarmupCheck.counter.runs).toBe(runs + 1);
        WarmupCheck.down = false;
        expect(await text(url, '/watchman/ready?verbose')).toEqual([
          200,
          '[+]passing ok\n[+]warmup ok\nready check passed\n',
        ]);
        expect(await text(url, '/watchman/startup?verbose')).toEqual([200, 'startup check passed\n']);
      });
    });
  },
);
