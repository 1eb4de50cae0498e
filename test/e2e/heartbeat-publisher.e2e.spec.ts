import { Injectable } from '@nestjs/common';
import { WatchmanCheck } from 'nestjs-watchman';
import { using } from '../support/http-app.js';
import { httpRecorder } from '../support/http-recorder.js';
import { until } from '../support/until.js';
import { watchmanApp } from '../support/watchman-app.js';

// The heartbeat publisher against a local HTTP monitor (healthchecks.io's and Uptime Kuma's
// push convention): `url` while the checks pass, `url/fail` while one fails.

const state = { queue: true, search: true };

@WatchmanCheck('queue')
@Injectable()
class QueueCheck {
  check() {
    if (!state.queue) throw new Error('queue is down');
  }
}

@WatchmanCheck('search', { critical: false })
@Injectable()
class SearchCheck {
  check() {
    if (!state.search) throw new Error('search is slow');
  }
}

describe('the heartbeat publisher', () => {
  it('GETs url while passing (a warning included), url/fail while failing, and stops with the app', () =>
    using(httpRecorder(), async (monitor) => {
      state.queue = true;
      state.search = false; // non-critical: still a passing beat
      const paths = () => monitor.requests.map(({ method, url }) => `${method} ${url}`);
      const beats = (path: string, after: number) => until(paths, (seen) => seen.slice(after).includes(path));
      const app = watchmanApp(
        {
          checks: ['queue', 'search'],
          publish: { heartbeat: { url: `${monitor.url}/ping/0f1e-uuid?rid=1`, interval: 100 } },
        },
        QueueCheck,
        SearchCheck,
      );
      await using(app.start(), async () => {
        expect(await beats('GET /ping/0f1e-uuid?rid=1', 0)).toContain('GET /ping/0f1e-uuid?rid=1');
        state.queue = false;
        const failing = await beats('GET /ping/0f1e-uuid/fail?rid=1', 0);
        expect(failing).toContain('GET /ping/0f1e-uuid/fail?rid=1');
        state.queue = true;
        const afterFail = failing.length;
        expect((await beats('GET /ping/0f1e-uuid?rid=1', afterFail)).slice(afterFail)).toContain(
          'GET /ping/0f1e-uuid?rid=1',
        );
        expect(new Set(paths())).toEqual(new Set(['GET /ping/0f1e-uuid?rid=1', 'GET /ping/0f1e-uuid/fail?rid=1']));
      });
      // A beat sent just before the close may still be landing: let it, then count.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const atClose = monitor.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(monitor.requests.length).toBe(atClose); // no beat after the app closed (it beat every 100 ms)
    }));
});
