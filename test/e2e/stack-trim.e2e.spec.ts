import { join } from 'node:path';
import { Injectable, Module } from '@nestjs/common';
import request from 'supertest';
import { WatchmanCheck, WatchmanModule, runWatchmanCli } from 'nestjs-watchman';
import { ADAPTERS, withApp } from '../support/http-app.js';
import { ROOT } from '../support/spawn-node.js';
import { tempDir } from '../support/temp-dir.js';

// A failing check's stack shows the app's frames, not watchman's executor and runner that
// called it (nor Nest's router below them): in the JSON, on the dashboard and in the CLI's
// failure lines. The check throws before its first await, so the whole calling stack is there.

const THIS_FILE = 'stack-trim.e2e.spec.ts';
const OWN_FRAMES = /check\.executor|check\.runner|watchman-routes|watchman\.cli|router-execution-context/;

function loadLedger(): never {
  throw new Error('ledger unreachable');
}

@WatchmanCheck('ledger')
@Injectable()
class LedgerCheck {
  async check(): Promise<void> {
    loadLedger();
  }
}

@Module({
  imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['ledger'] })],
  providers: [LedgerCheck],
})
class LedgerModule {}

function expectTrimmed(stack: string): void {
  const frames = stack.split('\n').filter((line) => /^\s*at\s/.test(line));
  expect(stack).toMatch(/^Error: ledger unreachable/);
  // loadLedger and LedgerCheck.check, both in this file.
  expect(frames.filter((frame) => frame.includes(THIS_FILE))).toHaveLength(2);
  expect(frames.filter((frame) => OWN_FRAMES.test(frame) || frame.includes(join(ROOT, 'lib/')))).toEqual([]);
}

describe.each(ADAPTERS)('stack traces of a failing check, on %s', (adapter) => {
  it('keep the check’s own frames and drop watchman’s, in the JSON and on the dashboard', async () => {
    await withApp({ imports: [LedgerModule] }, adapter, async (app) => {
      const json = await request(app.url).get('/watchman').expect(500);
      expect(json.body.ledger.error).toBe('ledger unreachable');
      expectTrimmed(json.body.ledger.stacktrace);
      const html = (await request(app.url).get('/watchman/dashboard').expect(200)).text;
      const pre = /<pre>([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? '';
      expectTrimmed(pre);
    });
  });
});

describe('the CLI', () => {
  it('prints a failure’s stack without watchman’s frames', async () => {
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } };
    expect(await runWatchmanCli(LedgerModule, [], io)).toBe(1);
    const line = JSON.parse(stderr.trim().split('\n')[0]) as { ledger: { stacktrace: string } };
    expectTrimmed(line.ledger.stacktrace);
  });
});
