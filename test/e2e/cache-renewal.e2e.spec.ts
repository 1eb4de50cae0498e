import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { WatchmanCheck } from 'nestjs-watchman';
import { sleep } from '../fixtures/checks.js';
import { ADAPTERS, using } from '../support/http-app.js';
import { watchmanApp } from '../support/watchman-app.js';

const TTL = 400;

/** When each run of a check started and finished (this process's clock, as the test's). */
class RunLog {
  readonly runs: { startedAt: number; finishedAt?: number }[] = [];
  async run(ms: number): Promise<{ run: number }> {
    const entry: { startedAt: number; finishedAt?: number } = { startedAt: Date.now() };
    this.runs.push(entry);
    await sleep(ms);
    entry.finishedAt = Date.now();
    return { run: this.runs.length - 1 };
  }
}

const quick = new RunLog();
const sluggish = new RunLog();

@WatchmanCheck('quick')
@Injectable()
class QuickCheck {
  check() {
    return quick.run(0);
  }
}

@WatchmanCheck('sluggish')
@Injectable()
class SluggishCheck {
  check() {
    return sluggish.run(200);
  }
}

/** Requests one after another for `ms`, each with the time it was sent and the runs it was answered from. */
async function steadyTraffic(url: string, ms: number) {
  const answers: { sentAt: number; quick: number; sluggish: number }[] = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const sentAt = Date.now();
    const res = await request(url).get('/watchman').expect(200);
    answers.push({ sentAt, quick: res.body.quick.run, sluggish: res.body.sluggish.run });
    await sleep(10);
  }
  return answers;
}

describe.each(ADAPTERS)('cacheTtl under steady traffic on %s', (adapter) => {
  it('renews the results before they expire: no request waits for a run, none gets a result older than cacheTtl, runs stay a cacheTtl apart', async () => {
    const app = watchmanApp({ checks: ['quick', 'sluggish'], cacheTtl: TTL }, QuickCheck, SluggishCheck);
    await using(app.start(adapter), async ({ url }) => {
      const first = sluggish.runs.length;
      const answers = await steadyTraffic(url, 4 * TTL);
      const runs = sluggish.runs.slice(first);
      expect(runs.length).toBeGreaterThanOrEqual(3);
      for (const answer of answers.slice(1)) {
        const run = sluggish.runs[answer.sluggish];
        // Answered from a run already under way when the request was sent, never one it had to start.
        expect(run.startedAt).toBeLessThanOrEqual(answer.sentAt);
        // ... and never from a result older than cacheTtl (a few ms for the stamp after the run).
        expect(answer.sentAt - (run.finishedAt ?? Infinity)).toBeLessThan(TTL + 25);
      }
      // Renewing early does not run a check more often: each run starts a TTL after the last.
      for (let i = 1; i < runs.length; i++) {
        expect(runs[i].startedAt - runs[i - 1].startedAt).toBeGreaterThanOrEqual(TTL - 5);
      }
    });
  });

  it('keeps the checks of one report together: a fast and a slow check expire, and run again, at the same time', async () => {
    const app = watchmanApp({ checks: ['quick', 'sluggish'], cacheTtl: TTL }, QuickCheck, SluggishCheck);
    await using(app.start(adapter), async ({ url }) => {
      const [quickFirst, sluggishFirst] = [quick.runs.length, sluggish.runs.length];
      await steadyTraffic(url, 4 * TTL);
      const quickRuns = quick.runs.slice(quickFirst);
      const sluggishRuns = sluggish.runs.slice(sluggishFirst);
      expect(quickRuns.length).toBeGreaterThanOrEqual(3);
      // Stored 200 ms apart, they would expire 200 ms apart and drift by that much every TTL.
      expect(quickRuns.length).toBe(sluggishRuns.length);
      quickRuns.forEach((run, i) => expect(Math.abs(run.startedAt - sluggishRuns[i].startedAt)).toBeLessThan(50));
    });
  });
});
