import { Injectable } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import request from 'supertest';
import {
  STATUS_CHANGED_EVENT,
  WatchmanCheck,
  WatchmanModule,
  WatchmanRunner,
  type WatchmanStatusChange,
} from 'nestjs-watchman';
import { sleep } from '../fixtures/checks.js';
import { ADAPTERS, using, withApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';

const state = { flaky: true, replica: true };

@WatchmanCheck('flaky')
@Injectable()
class FlakyCheck {
  async check() {
    await sleep(60);
    if (!state.flaky) throw new Error('flaky went down');
  }
}

@WatchmanCheck('pool')
@Injectable()
class PoolCheck {
  aliases() {
    return ['primary', 'replica'];
  }
  async checkAlias(alias: string) {
    await sleep(60);
    if (alias === 'replica' && !state.replica) throw new Error('replica went down');
  }
}

@Injectable()
class Listener {
  static heard: WatchmanStatusChange[] = [];
  @OnEvent(STATUS_CHANGED_EVENT)
  onChange(change: WatchmanStatusChange) {
    Listener.heard.push(change);
  }
}

describe.each(ADAPTERS)('status-change events on %s', (adapter) => {
  it('emits once per flip, however many requests see it, on statusChanges$ and through @nestjs/event-emitter; none for a first run', async () => {
    state.flaky = true;
    state.replica = true;
    Listener.heard = [];
    await withApp(
      {
        imports: [
          EventEmitterModule.forRoot(),
          WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['flaky', 'pool'] }),
        ],
        providers: [FlakyCheck, PoolCheck, Listener],
      },
      adapter,
      async (app) => {
        const seen: WatchmanStatusChange[] = [];
        const subscription = app.app.get(WatchmanRunner).statusChanges$.subscribe((change) => seen.push(change));
        const storm = () => Promise.all(Array.from({ length: 50 }, () => request(app.url).get('/watchman')));
        await using({ close: async () => subscription.unsubscribe() }, async () => {
          await storm(); // first runs: nothing to compare with
          expect(seen).toEqual([]);

          state.flaky = false;
          state.replica = false;
          const failing = await storm();
          expect(failing.every((res) => res.status === 500)).toBe(true);
          await storm(); // still failing: no flip
          expect(seen.map(({ check, alias, ok, previous }) => ({ check, alias, ok, previous }))).toEqual([
            { check: 'flaky', alias: undefined, ok: false, previous: true },
            { check: 'pool', alias: 'replica', ok: false, previous: true },
          ]);
          expect(seen[0]).toMatchObject({ error: 'flaky went down', at: expect.any(Date) });

          state.flaky = true;
          state.replica = true;
          await storm();
          expect(seen).toHaveLength(4);
          expect(seen.slice(2).map(({ check, ok, error }) => ({ check, ok, error }))).toEqual([
            { check: 'flaky', ok: true, error: undefined },
            { check: 'pool', ok: true, error: undefined },
          ]);
          expect(Listener.heard).toEqual(seen);
        });
      },
    );
  });

  it('works without @nestjs/event-emitter in the app', async () => {
    state.flaky = true;
    await withApp(
      { imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['flaky'] })], providers: [FlakyCheck] },
      adapter,
      async (app) => {
        const seen: WatchmanStatusChange[] = [];
        app.app.get(WatchmanRunner).statusChanges$.subscribe((change) => seen.push(change));
        await request(app.url).get('/watchman').expect(200);
        state.flaky = false;
        await request(app.url).get('/watchman').expect(500);
        expect(seen).toHaveLength(1);
      },
    );
  });
});
