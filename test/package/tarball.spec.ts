import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshCopy } from '../support/fresh-copy.js';
import { using } from '../support/http-app.js';
import { ROOT, type NodeServer, startNode } from '../support/spawn-node.js';
import { tempDir } from '../support/temp-dir.js';

// The package as a user gets it: packed from a fresh copy of the repository (no dist/ yet),
// installed into new Nest apps, ESM and CommonJS, strict TypeScript, without and then with the
// optional peers, each booted as a real process and asked over HTTP.

const version = (name: string) =>
  (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const NPM_ENV = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

const REQUIRED = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  'reflect-metadata',
  'rxjs',
  'typescript',
  '@types/node',
];
const OPTIONAL = [
  '@nestjs/typeorm',
  'typeorm',
  'sql.js',
  '@nestjs/cache-manager',
  'cache-manager',
  'keyv',
  'prom-client',
  '@nestjs/config',
  '@opentelemetry/api',
];

const APP_SOURCE = (full: boolean) => `import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
${full ? "import { TypeOrmModule } from '@nestjs/typeorm';\nimport { CacheModule } from '@nestjs/cache-manager';\nimport { ConfigModule } from '@nestjs/config';" : ''}
import { WatchmanCheck, type WatchmanCheckable, WatchmanModule, type WatchmanModuleOptions, type WatchmanReport } from 'nestjs-watchman';

@WatchmanCheck('consumer', { critical: true, timeout: 1000 })
@Injectable()
class ConsumerCheck implements WatchmanCheckable {
  async check(signal: AbortSignal): Promise<{ aborted: boolean }> {
    return { aborted: signal.aborted };
  }
}

const options: WatchmanModuleOptions = { tokens: ['t'], mediaRoot: process.env.MEDIA_ROOT };

@Module({
  imports: [
    ${full ? "ConfigModule.forRoot({ isGlobal: true }),\n    TypeOrmModule.forRoot({ type: 'sqljs' }),\n    CacheModule.register({ isGlobal: true })," : ''}
    WatchmanModule.forRoot(options),
  ],
  providers: [ConsumerCheck],
})
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const report: WatchmanReport | undefined = undefined;
  void report;
  console.log(\`consumer listening on \${(app.getHttpServer().address() as { port: number }).port}\`);
}
void main();
`;

function packFromFreshCopy(): { tarball: string; files: string[]; bytes: number } {
  const copy = freshCopy();
  const out = tempDir('watchman-pack-');
  // `npm pack` runs prepack, which builds dist/ in the copy: nothing was built there before.
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', out], {
    cwd: copy,
    env: NPM_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
  const [result] = JSON.parse(json.slice(json.indexOf('['))) as Array<{
    filename: string;
    size: number;
    files: Array<{ path: string }>;
  }>;
  return { tarball: join(out, result.filename), files: result.files.map((file) => file.path), bytes: result.size };
}

/** Installs, returning everything npm printed (its warnings are on stderr). */
function npmInstall(dir: string, specs: string[]): string {
  const run = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...specs], {
    cwd: dir,
    env: NPM_ENV,
    encoding: 'utf8',
  });
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0) throw new Error(`npm install failed in ${dir}:\n${output}`);
  return output;
}

/** The engine warnings npm printed, by package. */
function engineWarnings(output: string): string[] {
  return [...output.matchAll(/EBADENGINE\s+package: '([^']+)'/g)].map((match) => match[1]);
}

function consumerApp(kind: 'module' | 'commonjs', tarball: string): string {
  const dir = tempDir(`watchman-consumer-${kind}-`);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `consumer-${kind}`, private: true, type: kind }, null, 2),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        skipLibCheck: true,
        outDir: 'dist',
        rootDir: 'src',
        types: ['node'],
      },
      include: ['src'],
    }),
  );
  mkdirSync(join(dir, 'src'));
  const output = npmInstall(dir, [tarball, ...REQUIRED.map((name) => `${name}@${version(name)}`)]);
  // Nest 12's own dependencies (file-type, via @nestjs/common) ask for Node 22; watchman must not.
  expect(engineWarnings(output).filter((name) => name.startsWith('nestjs-watchman'))).toEqual([]);
  return dir;
}

async function bootConsumer(dir: string, full: boolean): Promise<NodeServer & { url: string }> {
  writeFileSync(join(dir, 'src/main.ts'), APP_SOURCE(full));
  execFileSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = await startNode([join(dir, 'dist/main.js')], {}, /consumer listening on \d+/);
  // startNode runs from the repo root; the app resolves its packages from its own folder.
  const port = /listening on (\d+)/.exec(server.stdout)?.[1];
  return Object.assign(server, { url: `http://127.0.0.1:${port}` });
}

describe('the packed package', () => {
  let packed: ReturnType<typeof packFromFreshCopy>;
  beforeAll(() => {
    packed = packFromFreshCopy();
    console.log(`tarball: ${packed.files.length} files, ${packed.bytes} bytes`);
  }, 120_000);

  it('ships the build, typings, bin, licence, README and operators’ files; no images, sources, maps or build state', () => {
    expect(packed.files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/cli/bin.js',
        'dist/grpc/index.js',
        'proto/health.proto', // WATCHMAN_HEALTH_PROTO_PATH points here
        'dist/otel/index.js', // nestjs-watchman/otel
        'operators/watchman.rules.yml', // the README's alert rules
        'operators/watchman.grafana.json', // the README's dashboard
        'LICENSE',
        'README.md',
        'package.json',
      ]),
    );
    // The README's screenshots stay in the repository (see pack-images.spec.ts).
    expect(
      packed.files.filter((file) => /\.map$|tsbuildinfo|\.png$|^docs\/|^lib\/|^test\/|^sample-app\//.test(file)),
    ).toEqual([]);
  });

  it.each(['module', 'commonjs'] as const)(
    'installs into a new %s app without the optional peers, with no engine warning of its own, and answers',
    async (kind) => {
      const dir = consumerApp(kind, packed.tarball);
      const installed = readdirSync(join(dir, 'node_modules'));
      expect(installed).not.toContain('typeorm');
      expect(installed).not.toContain('@opentelemetry');
      // The light entry for OpenTelemetry setup files loads without the api.
      const entry = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          "const m = await import('nestjs-watchman/otel'); console.log(typeof m.isWatchmanRequest)",
        ],
        { cwd: dir, encoding: 'utf8' },
      );
      expect(entry.trim()).toBe('function');
      const app = await bootConsumer(dir, false);
      await using({ close: () => app.stop('SIGTERM') }, async () => {
        expect(await (await fetch(`${app.url}/watchman/ping`)).text()).toBe('pong');
        await expect((await fetch(`${app.url}/watchman`)).status).toBe(403);
        const res = await fetch(`${app.url}/watchman?watchman-token=t`);
        expect(await res.json()).toEqual({
          caches: { ok: true, note: 'none configured' },
          consumer: { ok: true, aborted: false },
          databases: { ok: true, note: 'none configured' },
          storage: { ok: true },
        });
        const metrics = await fetch(`${app.url}/watchman/metrics?watchman-token=t`);
        expect(metrics.status).toBe(501);
        expect(await metrics.text()).toMatch(/npm install prom-client/);
      });

      // Then with the optional peers: TypeORM, cache-manager, @nestjs/config and prom-client come into play.
      const output = npmInstall(
        dir,
        OPTIONAL.map((name) => `${name}@${version(name)}`),
      );
      expect(engineWarnings(output).filter((name) => name.startsWith('nestjs-watchman'))).toEqual([]);
      const full = await bootConsumer(dir, true);
      await using({ close: () => full.stop('SIGTERM') }, async () => {
        const res = await fetch(`${full.url}/watchman?watchman-token=t`);
        expect(await res.json()).toEqual({
          caches: [{ default: { ok: true } }],
          consumer: { ok: true, aborted: false },
          databases: [{ default: { ok: true } }],
          storage: { ok: true },
        });
        const metrics = await fetch(`${full.url}/watchman/metrics?watchman-token=t`);
        expect(metrics.status).toBe(200);
        expect(await metrics.text()).toContain(
          'watchman_check_up{check="databases",alias="default",critical="true"} 1',
        );
      });
    },
    300_000,
  );
});
