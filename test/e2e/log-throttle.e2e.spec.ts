import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { WatchmanCheck, WatchmanModule } from 'nestjs-watchman';
import { RunCounter } from '../fixtures/checks.js';
import { ADAPTERS, withApp } from '../support/http-app.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { tempDir } from '../support/temp-dir.js';
import { until } from '../support/until.js';

// SPEC "Hardening", logging: a failure is logged when the state changes (and at most once a
// minute while it lasts, see test/unit/failure-log.spec.ts), not on every run; no per-probe line.

const flaky = { ok: false, counter: new RunCounter() };
@WatchmanCheck('flaky')
@Injectable()
class FlakyCheck {
  check() {
    flaky.counter.enter();
    flaky.counter.leave();
    if (!flaky.ok) throw new Error('flaky is down');
  }
}

describe.each(ADAPTERS)('check logging on %s', (adapter) => {
  it('logs a failing check once, not on each of 20+ runs, and its recovery once', async () => {
    flaky.ok = false;
    const logger = new RecordingLogger();
    await withApp(
      {
        imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['flaky'], refreshInterval: 20 })],
        providers: [FlakyCheck],
      },
      adapter,
      async ({ url }) => {
        const start = flaky.counter.runs;
        const ran = await until(
          () => flaky.counter.runs - start,
          (runs) => runs >= 20,
        );
        expect(ran).toBeGreaterThanOrEqual(20);
        // Probes answer from the refresh: none of them adds a line.
        for (let i = 0; i < 5; i += 1) await request(url).get('/watchman/ready').expect(503);
        const about = (text: string) =>
          logger.lines.filter((line) => line.context === 'watchman' && line.message.includes(text));
        expect(about('check flaky').map((line) => [line.level, line.message])).toEqual([
          ['error', 'check flaky failed: flaky is down'],
        ]);

        flaky.ok = true;
        await until(
          () => about('recovered'),
          (found) => found.length > 0,
        );
        const after = flaky.counter.runs;
        await until(
          () => flaky.counter.runs - after,
          (runs) => runs >= 10,
        );
        for (let i = 0; i < 5; i += 1) await request(url).get('/watchman/ready').expect(200);
        const recovered = about('check flaky recovered');
        expect(recovered).toHaveLength(1);
        expect(recovered[0]).toMatchObject({
          level: 'log',
          message: expect.stringMatching(/^check flaky recovered after \d+ failed runs$/),
        });
        expect(about('check flaky failed')).toHaveLength(1);
        // No per-run or per-probe debug line.
        expect(logger.lines.filter((line) => line.context === 'watchman' && line.level === 'debug')).toEqual([]);
      },
      { logger },
    );
  });
});
