import { type CanActivate, Injectable, type Type } from '@nestjs/common';
import request from 'supertest';
import { WatchmanModule, type WatchmanModuleOptions, WatchmanTokenGuard } from 'nestjs-watchman';
import { PassingCheck } from '../fixtures/checks.js';
import { ADAPTERS, withApp } from '../support/http-app.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { tempDir } from '../support/temp-dir.js';
import { withEnv } from '../support/with-env.js';

// SPEC "Hardening", boot warnings: once, through the `watchman` logger, when the protected
// routes are open to anyone in production, and when `tokens` sit beside an `authGuard`.

@Injectable()
class StaffGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

/** An app's subclass of the token guard keeps the token rules: its tokens are not ignored. */
@Injectable()
class AuditedTokenGuard extends WatchmanTokenGuard {}

/** Boots with these options and NODE_ENV, makes a few requests, and gives watchman's warnings. */
async function warningsOf(
  adapter: (typeof ADAPTERS)[number],
  nodeEnv: string | undefined,
  options: WatchmanModuleOptions,
  authGuard?: Type<CanActivate> | CanActivate,
): Promise<string[]> {
  const logger = new RecordingLogger();
  await withEnv({ NODE_ENV: nodeEnv }, () =>
    withApp(
      {
        imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['passing'], ...options, authGuard })],
        providers: [PassingCheck],
      },
      adapter,
      async ({ url }) => {
        // Requests after boot add no warning: it is said once.
        for (let i = 0; i < 3; i += 1) await request(url).get('/watchman/ping').expect(200);
        await request(url).get('/watchman?watchman-token=t');
      },
      { logger },
    ),
  );
  return logger.watchman('warn').map((line) => line.message);
}

describe.each(ADAPTERS)('boot warnings on %s', (adapter) => {
  it('warns once when the protected routes are open to anyone with NODE_ENV=production', async () => {
    const warnings = await warningsOf(adapter, 'production', {});
    expect(warnings).toEqual([
      'the JSON, dashboard and metrics routes under /watchman are open to anyone (NODE_ENV=production, no tokens, ' +
        'no authGuard): set tokens (WATCHMAN_TOKENS) or an authGuard',
    ]);
  });

  it('warns once when tokens are given beside an authGuard (they are ignored), in any environment', async () => {
    const warnings = await warningsOf(adapter, undefined, { tokens: ['t'] }, StaffGuard);
    expect(warnings).toEqual([
      'tokens are ignored: the authGuard protects the JSON, dashboard and metrics routes under /watchman ' +
        '(give one or the other)',
    ]);
    // An instance guard, too; and in production, only this warning (an authGuard protects the routes).
    expect(await warningsOf(adapter, 'production', { tokens: ['t'] }, new StaffGuard())).toEqual(warnings);
  });

  it('says nothing in the default dev case, nor when the routes are protected as meant', async () => {
    expect(await warningsOf(adapter, undefined, {})).toEqual([]);
    expect(await warningsOf(adapter, 'development', {})).toEqual([]);
    expect(await warningsOf(adapter, 'production', { tokens: ['t'] })).toEqual([]);
    expect(await warningsOf(adapter, 'production', {}, StaffGuard)).toEqual([]);
    // A subclass of WatchmanTokenGuard uses the tokens.
    expect(await warningsOf(adapter, 'production', { tokens: ['t'] }, AuditedTokenGuard)).toEqual([]);
  });
});
