import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { WatchmanCheck, type WatchmanWebhookMessage } from 'nestjs-watchman';
import { sleep } from '../fixtures/checks.js';
import { ADAPTERS, using } from '../support/http-app.js';
import { type HttpRecorder, httpRecorder } from '../support/http-recorder.js';
import { readmeBlocks } from '../support/readme-blocks.js';
import { until } from '../support/until.js';
import { watchmanApp } from '../support/watchman-app.js';

// The webhook publisher against a local HTTP receiver: one POST per flip however many
// requests saw it, warn / fail / restored told apart, minInterval honoured.

const state = { payments: true, search: true };

@WatchmanCheck('payments')
@Injectable()
class PaymentsCheck {
  async check() {
    await sleep(30); // long enough for a storm's requests to share the run
    if (!state.payments) throw new Error('payments went down');
  }
}

@WatchmanCheck('search', { critical: false })
@Injectable()
class SearchCheck {
  async check() {
    await sleep(10);
    if (!state.search) throw new Error('search is slow');
  }
}

const messages = (recorder: HttpRecorder) =>
  recorder.requests.map((received) => JSON.parse(received.body) as WatchmanWebhookMessage);
const posted = (recorder: HttpRecorder, count: number) =>
  until(
    () => recorder.requests.length,
    (length) => length >= count,
  );
// Long enough for a stray second POST to show up, if there were one.
const settle = () => sleep(300);

function app(recorder: HttpRecorder, webhook: Record<string, unknown> = {}) {
  state.payments = true;
  state.search = true;
  return watchmanApp(
    {
      checks: ['payments', 'search'],
      instance: 'web-1',
      publish: { webhook: { url: `${recorder.url}/hooks/watchman`, ...webhook } },
    },
    PaymentsCheck,
    SearchCheck,
  );
}

describe.each(ADAPTERS)('the webhook publisher on %s', (adapter) => {
  it('POSTs exactly once per flip while 50 concurrent requests see each of 3 flips', async () => {
    await using(httpRecorder(), (recorder) =>
      using(app(recorder).start(adapter), async (running) => {
        const storm = async (expected: number) => {
          const responses = await Promise.all(Array.from({ length: 50 }, () => request(running.url).get('/watchman')));
          expect(responses.every((res) => res.status === expected)).toBe(true);
        };
        await storm(200); // first runs: nothing to compare with, nothing sent
        for (const [ok, status, count] of [
          [false, 500, 1],
          [true, 200, 2],
          [false, 500, 3],
        ] as const) {
          state.payments = ok;
          await storm(status);
          await posted(recorder, count);
        }
        await settle();
        expect(recorder.requests.map(({ method, url }) => `${method} ${url}`)).toEqual(
          Array.from({ length: 3 }, () => 'POST /hooks/watchman'),
        );
        expect(recorder.requests[0].headers['content-type']).toBe('application/json');
        expect(messages(recorder)).toEqual([
          {
            status: 'fail',
            changed: [{ check: 'payments', ok: false, previous: true, error: 'payments went down', status: 'fail' }],
            at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
            instance: 'web-1',
          },
          {
            status: 'pass',
            changed: [{ check: 'payments', ok: true, previous: false, status: 'pass' }],
            at: expect.any(String),
            instance: 'web-1',
          },
          expect.objectContaining({ status: 'fail', changed: [expect.objectContaining({ ok: false })] }),
        ]);
      }),
    );
  });
});

describe('the webhook publisher', () => {
  it('tells a warning (non-critical failure), a failure and a restored check apart', async () => {
    await using(httpRecorder(), (recorder) =>
      using(app(recorder).start(), async (running) => {
        const step = async (change: Partial<typeof state>, count: number) => {
          Object.assign(state, change);
          await request(running.url).get('/watchman');
          await posted(recorder, count);
        };
        await request(running.url).get('/watchman').expect(200);
        await step({ search: false }, 1);
        await step({ payments: false }, 2);
        await step({ search: true }, 3);
        await step({ payments: true }, 4);
        await settle();
        expect(
          messages(recorder).map(({ status, changed }) => [
            status,
            changed.map((entry) => `${entry.check} ${entry.previous}->${entry.ok} ${entry.status}`),
          ]),
        ).toEqual([
          ['warn', ['search true->false warn']],
          ['fail', ['payments true->false fail']],
          ['fail', ['search false->true pass']], // restored, while payments still fails
          ['pass', ['payments false->true pass']],
        ]);
        expect(messages(recorder)[0].changed[0].error).toBe('search is slow');
        // The README's example is a message as sent, key for key.
        const example = JSON.parse(
          readmeBlocks('json').find((block) => block.code.includes('"changed"'))?.code ?? '{}',
        ) as WatchmanWebhookMessage;
        expect(example).toEqual({ ...messages(recorder)[0], at: example.at, instance: example.instance });
      }),
    );
  });

  it('sends at most one message per check within minInterval, and the held state once it ends', async () => {
    const minInterval = 2500;
    await using(httpRecorder(), (recorder) =>
      using(app(recorder, { minInterval }).start(), async (running) => {
        const flip = async (ok: boolean) => {
          state.payments = ok;
          await request(running.url).get('/watchman');
        };
        await flip(true);
        const firstFlipAt = Date.now();
        await flip(false);
        await posted(recorder, 1);
        // Three more flips within the interval: held, and only the latest counts.
        await flip(true);
        await flip(false);
        await flip(true);
        expect(recorder.requests).toHaveLength(1);
        await posted(recorder, 2);
        await settle();
        expect(
          messages(recorder).map(({ changed }) => changed.map((entry) => `${entry.previous}->${entry.ok}`)),
        ).toEqual([['true->false'], ['false->true']]);
        // Held until the interval since the first message had passed (a lower bound: load only adds).
        expect(recorder.requests[1].receivedAt - firstFlipAt).toBeGreaterThanOrEqual(minInterval);

        // A flap that comes back within the interval sends nothing at its end.
        const secondAt = recorder.requests[1].receivedAt;
        await flip(false);
        await flip(true);
        await sleep(secondAt + minInterval + 500 - Date.now());
        expect(recorder.requests).toHaveLength(2);
      }),
    );
  });
});
