import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { WatchmanModule, type WatchmanModuleOptions } from 'nestjs-watchman';
import { FailingCheck, PassingCheck } from '../fixtures/checks.js';
import { using } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';
import { withEnv } from '../support/with-env.js';

/** The app's own logger, keeping every line it is given. */
class RecordingLogger extends ConsoleLogger {
  readonly lines: Array<{ level: LogLevel; context?: string; message: string }> = [];
  protected override printMessages(messages: unknown[], context?: string, logLevel: LogLevel = 'log'): void {
    for (const message of messages) this.lines.push({ level: logLevel, context, message: String(message) });
  }
}

async function start(options: WatchmanModuleOptions, logLevels: LogLevel[] = ['error', 'warn', 'log', 'debug']) {
  const logger = new RecordingLogger({ logLevels });
  const moduleRef = await Test.createTestingModule({
    imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), ...options })],
    providers: [PassingCheck, FailingCheck],
  }).compile();
  const app = moduleRef.createNestApplication(new ExpressAdapter());
  app.useLogger(logger);
  await app.init();
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return { app, url, logger, close: () => app.close() };
}

describe('logging', () => {
  it('logs a failing check once with context watchman, however many requests and runs saw it', async () => {
    await using(start({ checks: ['passing', 'failing'] }), async ({ url, logger }) => {
      const before = FailingCheck.counter.runs;
      await Promise.all(Array.from({ length: 20 }, () => request(url).get('/watchman').expect(500)));
      for (let i = 0; i < 3; i += 1) await request(url).get('/watchman').expect(500);
      expect(FailingCheck.counter.runs - before).toBeGreaterThan(1);
      const errors = logger.lines.filter((line) => line.level === 'error' && line.context === 'watchman');
      // one line when the check started failing, not one per run (it is still within the minute)
      expect(errors.map((line) => line.message)).toEqual([
        'check failing failed: boom <script>window.__pwned = true</script>',
      ]);
      // and no debug line per run
      expect(logger.lines.filter((line) => line.level === 'debug' && /^check /.test(line.message))).toEqual([]);
    });
  });

  it('can be silenced through the app logger levels', async () => {
    await using(start({ checks: ['passing', 'failing'] }, []), async ({ url, logger }) => {
      await request(url).get('/watchman').expect(500);
      expect(logger.lines.filter((line) => line.context === 'watchman')).toEqual([]);
    });
  });

  it('never writes a token into a log line', async () => {
    const secret = 'sup3r-s3cret-token';
    await withEnv({ WATCHMAN_TOKEN: 'legacy-s3cret' }, async () => {
      await using(start({ checks: ['passing', 'failing'], tokens: [secret] }), async ({ url, logger }) => {
        await request(url).get(`/watchman?watchman-token=${secret}`).expect(500);
        await request(url).get('/watchman').set('Authorization', `WATCHMAN-TOKEN Token="${secret}"`).expect(500);
        await request(url).get('/watchman?watchman-token=wrong-guess').expect(403);
        await request(url).get(`/watchman/dashboard?watchman-token=${secret}`).expect(200);
        expect(logger.lines.length).toBeGreaterThan(0);
        for (const line of logger.lines) {
          expect(line.message).not.toContain(secret);
          expect(line.message).not.toContain('wrong-guess');
          expect(line.message).not.toContain('legacy-s3cret');
        }
      });
    });
  });
});
