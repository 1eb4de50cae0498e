import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  Module,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { WatchmanCheck, WatchmanModule } from 'nestjs-watchman';
import { PassingCheck } from '../fixtures/checks.js';
import { ADAPTERS, using, withApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';
import { watchmanApp } from '../support/watchman-app.js';
import { withEnv } from '../support/with-env.js';

const SECRET = 'jwt-secret-for-tests';

/** An app's own service, from an app module watchman knows nothing of. */
@Injectable()
class OperatorsService {
  isOperator(user: string): boolean {
    return user === 'ops';
  }
}
@Module({ providers: [OperatorsService], exports: [OperatorsService] })
class OperatorsModule {}

/** A guard with real dependencies: JwtService (from JwtModule), ConfigService, the app's own service. */
@Injectable()
class JwtOperatorGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: ConfigService,
    private readonly operators: OperatorsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const header = context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers.authorization ?? '';
    const token = header.replace(/^Bearer /, '');
    try {
      const claims = await this.jwt.verifyAsync<{ sub: string; aud: string }>(token);
      return claims.aud === this.config.get('HEALTH_AUDIENCE') && this.operators.isOperator(claims.sub);
    } catch {
      return false;
    }
  }
}

const jwtImports = () => [
  JwtModule.register({ secret: SECRET }),
  ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ HEALTH_AUDIENCE: 'health' })] }),
  OperatorsModule,
];

describe.each(ADAPTERS)('adopting watchman in an app on %s', (adapter) => {
  const jwt = new JwtService({ secret: SECRET });
  const bearer = (sub: string, aud = 'health') => `Bearer ${jwt.sign({ sub, aud })}`;

  it('resolves a custom authGuard in the app, with JwtService, ConfigService and the app’s own providers', async () => {
    const setup = watchmanApp({ checks: ['passing'], authGuard: JwtOperatorGuard }, PassingCheck).imports(
      ...jwtImports(),
    );
    await using(setup.start(adapter), async (app) => {
      const refused = await request(app.url).get('/watchman').expect(403);
      expect(refused.text).toBe('');
      await request(app.url).get('/watchman').set('Authorization', bearer('someone')).expect(403);
      await request(app.url).get('/watchman').set('Authorization', bearer('ops', 'other')).expect(403);
      const res = await request(app.url).get('/watchman').set('Authorization', bearer('ops')).expect(200);
      expect(res.body.passing.ok).toBe(true);
      await request(app.url).get('/watchman/dashboard').set('Authorization', bearer('ops')).expect(200);
      await request(app.url).get('/watchman/ping').expect(200, 'pong');
    });
  });

  it('uses the authGuard with forRootAsync too, and the app’s own instance when it provides the guard', async () => {
    const setup = watchmanApp({}, PassingCheck, JwtOperatorGuard)
      .imports(...jwtImports())
      .watchman(
        WatchmanModule.forRootAsync({
          useFactory: () => ({ mediaRoot: tempDir(), checks: ['passing'] }),
          authGuard: JwtOperatorGuard,
        }),
      );
    await using(setup.start(adapter), async (app) => {
      await request(app.url).get('/watchman').expect(403);
      await request(app.url).get('/watchman').set('Authorization', bearer('ops')).expect(200);
    });
  });

  describe('with a global APP_GUARD', () => {
    const IS_PUBLIC = 'isPublic';
    const Public = () => SetMetadata(IS_PUBLIC, true);

    /** The usual app-wide JWT guard with a `@Public()` opt-out. */
    @Injectable()
    class GlobalJwtGuard implements CanActivate {
      constructor(
        private readonly reflector: Reflector,
        private readonly jwtService: JwtService,
      ) {}
      canActivate(context: ExecutionContext): boolean {
        if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]))
          return true;
        const header =
          context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers.authorization ?? '';
        try {
          this.jwtService.verify(header.replace(/^Bearer /, ''));
          return true;
        } catch {
          throw new UnauthorizedException();
        }
      }
    }

    const guarded = watchmanApp({ checks: ['passing'], tokens: ['t'] })
      .imports(JwtModule.register({ secret: SECRET }))
      .providers(PassingCheck, { provide: APP_GUARD, useClass: GlobalJwtGuard });

    it('blocks even the open routes when watchman’s routes carry no opt-out', async () => {
      await using(guarded.start(adapter), async (app) => {
        for (const path of ['/watchman/ping', '/watchman/bare', '/watchman/live', '/watchman/ready']) {
          await request(app.url).get(path).expect(401);
        }
      });
    });

    it('opens ping, bare, live and ready with routeDecorators.open, and leaves the protected routes to both guards', async () => {
      await using(guarded.options({ routeDecorators: { open: [Public()] } }).start(adapter), async (app) => {
        await request(app.url).get('/watchman/ping').expect(200, 'pong');
        await request(app.url).get('/watchman/bare').expect(200);
        await request(app.url).get('/watchman/live').expect(200, 'ok');
        await request(app.url).get('/watchman/ready').expect(200, 'ok');
        await request(app.url).get('/watchman?watchman-token=t').expect(401);
        await request(app.url)
          .get('/watchman?watchman-token=t')
          .set('Authorization', `Bearer ${jwt.sign({ sub: 'x' })}`)
          .expect(200);
      });
    });

    it('lets watchman’s own token decide on the protected routes with routeDecorators.protected', async () => {
      const routeDecorators = { open: [Public()], protected: [Public()] };
      await using(guarded.options({ routeDecorators }).start(adapter), async (app) => {
        await request(app.url).get('/watchman?watchman-token=t').expect(200);
        await request(app.url).get('/watchman').expect(403);
      });
    });
  });

  it('keeps two registrations apart: each runs its own built-ins with its own options', async () => {
    await withApp(
      {
        imports: [
          TypeOrmModule.forRoot({ type: 'sqljs', name: 'x' }),
          TypeOrmModule.forRoot({ type: 'sqljs', name: 'y' }),
          WatchmanModule.forRoot({ path: 'a', mediaRoot: tempDir(), databases: ['x'], checks: ['databases'] }),
          WatchmanModule.forRoot({
            path: 'b',
            mediaRoot: tempDir(),
            databases: ['y'],
            checks: ['databases', 'passing'],
            tokens: ['only-b'],
          }),
        ],
        providers: [PassingCheck],
      },
      adapter,
      async (app) => {
        const a = await request(app.url).get('/a').expect(200);
        expect(a.body).toEqual({ databases: [{ x: { ok: true } }] });
        await request(app.url).get('/b').expect(403);
        const b = await request(app.url).get('/b?watchman-token=only-b').expect(200);
        expect(b.body).toEqual({ databases: [{ y: { ok: true } }], passing: { ok: true, answer: 42 } });
        await request(app.url).get('/a/ping').expect(200, 'pong');
        await request(app.url).get('/b/ready/').expect(200, 'ok');
      },
    );
  });

  it.each(['ConfigModule first', 'ConfigModule last'])(
    'takes WATCHMAN_PATH from a .env file whatever the import order (%s)',
    async (order) => {
      const dir = tempDir();
      writeFileSync(join(dir, '.env'), 'WATCHMAN_PATH=status\nWATCHMAN_TOKENS=from-dotenv\n');
      await withEnv({ WATCHMAN_PATH: undefined, WATCHMAN_TOKENS: undefined }, async () => {
        const config = ConfigModule.forRoot({ envFilePath: join(dir, '.env') });
        const watchman = WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['passing'] });
        const imports = order === 'ConfigModule first' ? [config, watchman] : [watchman, config];
        await withApp({ imports, providers: [PassingCheck] }, adapter, async (app) => {
          await request(app.url).get('/status?watchman-token=from-dotenv').expect(200);
          await request(app.url).get('/status/ping').expect(200, 'pong');
          await request(app.url).get('/watchman/ping').expect(404);
        });
      });
    },
  );
});

describe('start-up checks of the app’s checks', () => {
  // These do not compile (test/types/check-decorator.spec.ts); plain JavaScript (or a cast)
  // still reaches start-up, which refuses them.
  // @ts-expect-error a class without check()
  @WatchmanCheck('incomplete')
  @Injectable()
  class NoCheckMethod {
    run() {
      return 'forgot to call it check()';
    }
  }

  // @ts-expect-error aliases() without checkAlias()
  @WatchmanCheck('half')
  @Injectable()
  class AliasesOnly {
    aliases() {
      return ['a'];
    }
  }

  it.each([
    [NoCheckMethod, /@WatchmanCheck\('incomplete'\) on NoCheckMethod: the class needs a check\(signal\) method/],
    [AliasesOnly, /@WatchmanCheck\('half'\) on AliasesOnly/],
  ])('refuses %p at start-up, naming the class', async (type, message) => {
    await expect(watchmanApp({}, type).bootAndClose()).rejects.toThrow(message);
  });
});
