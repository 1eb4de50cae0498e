import { join } from 'node:path';
import { Injectable, Module } from '@nestjs/common';
import { WatchmanCheck, WatchmanModule, runWatchmanCli } from 'nestjs-watchman';
import { FailingCheck, PassingCheck } from '../fixtures/checks.js';
import { closedPort, hungServer } from '../support/services.js';
import { describeWithService } from '../support/requirements.js';
import { ROOT, runNode } from '../support/spawn-node.js';
import { tempDir } from '../support/temp-dir.js';
import { using } from '../support/http-app.js';

const BIN = join(ROOT, 'dist/cli/bin.js');
const FIXTURE = `${join(ROOT, 'test/fixtures/dist/cli-app/app.module.js')}#AppModule`;

/** Runs the real bin in its own process, as a container HEALTHCHECK would. */
const cli = (args: string[], env: Record<string, string> = {}) => runNode([BIN, ...args], env);

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('nestjs-watchman bin', () => {
  it('exits 0 and prints nothing by default when all checks pass', async () => {
    const run = await cli(['--module', FIXTURE]);
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('prints one JSON line per check on stdout with -v 2', async () => {
    const run = await cli(['--module', FIXTURE, '-v', '2']);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([
      { caches: { ok: true, note: 'none configured' } },
      { databases: [{ default: { ok: true } }] },
      { storage: { ok: true } },
    ]);
  });

  it('runs only -c checks, in short or dotted form, and skips -s ones', async () => {
    const only = await cli(['-m', FIXTURE, '-c', 'watchman.checks.databases,storage', '--verbosity=2']);
    expect(lines(only.stdout).map((line) => Object.keys(line)[0])).toEqual(['databases', 'storage']);
    const skip = await cli(['-m', FIXTURE, '-s', 'watchman.checks.caches', '-s', 'databases', '-v', '2']);
    expect(lines(skip.stdout)).toEqual([{ storage: { ok: true } }]);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['-v', '7'], /--verbosity must be 0, 1, 2 or 3/],
    [['-c', 'nope'], /not a configured check: "nope"/],
    [['-c', 'storage', '-s', 'storage'], /no check selected/],
    [['extra'], /Unexpected argument 'extra'|positional/i],
  ])('exits 2 on bad usage %j, with a message and the usage', async (args, message) => {
    const run = await cli(['--module', FIXTURE, ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('Usage: nestjs-watchman');
  });

  it('exits 2 when the app module cannot be found', async () => {
    const run = await cli(['--module', 'no/such/app.module.js']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot find the app module no\/such\/app.module.js/);
  });

  it('finds the module through WATCHMAN_CLI_MODULE', async () => {
    const run = await cli(['-v', '2', '-c', 'storage'], { WATCHMAN_CLI_MODULE: FIXTURE });
    expect(lines(run.stdout)).toEqual([{ storage: { ok: true } }]);
  });

  it('prints the help and exits 0 with -h', async () => {
    const run = await cli(['-h']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('-c, --checks');
    expect(run.stdout).toContain('-m, --module');
  });

  it('shows Nest logs on stderr with -v 3', async () => {
    const run = await cli(['--module', FIXTURE, '-v', '3', '-c', 'storage']);
    expect(run.code).toBe(0);
    // (A passing check writes no line of its own: watchman logs failures and recoveries only.)
    expect(run.stderr).toMatch(/\[InstanceLoader\] WatchmanModule dependencies initialized/);
    expect(lines(run.stdout)).toEqual([{ storage: { ok: true } }]);
  });
});

const describePg = await describeWithService('PostgreSQL', 5432);

describePg('nestjs-watchman bin against real databases', () => {
  it('exits 0 with a healthy PostgreSQL', async () => {
    const run = await cli(['--module', FIXTURE, '-v', '2', '-c', 'databases'], {
      CLI_PG_URL: 'postgres://postgres@127.0.0.1:5432/test',
    });
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([{ databases: [{ default: { ok: true } }, { pg: { ok: true } }] }]);
  });

  it('exits 1 with a broken database, its failure with stacktrace on stderr, every check still run', async () => {
    const run = await cli(['--module', FIXTURE, '-v', '2'], {
      CLI_PG_URL: 'postgres://postgres@127.0.0.1:5432/test',
      CLI_BROKEN_URL: `postgres://postgres@127.0.0.1:${await closedPort()}/test`,
    });
    expect(run.code).toBe(1);
    const [failure] = lines(run.stderr);
    const broken = failure.databases.find((entry: object) => 'broken' in entry).broken;
    expect(broken).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ECONNREFUSED/),
      stacktrace: expect.stringMatching(/ECONNREFUSED/),
    });
    expect(lines(run.stdout).map((line) => Object.keys(line)[0])).toEqual(['caches', 'databases', 'storage']);
  });

  it('ends at the timeout with a hung database, and the process does not hang', async () => {
    await using(hungServer(), async (hung) => {
      const run = await cli(['--module', FIXTURE, '-c', 'databases'], {
        CLI_HUNG_URL: `postgres://postgres@127.0.0.1:${hung.port}/test`,
        WATCHMAN_CHECK_TIMEOUT_MS: '700',
      });
      expect(run.code).toBe(1);
      expect(lines(run.stderr)[0].databases).toContainEqual({ hung: { ok: false, error: 'timed out after 700 ms' } });
      expect(run.ms).toBeLessThan(15_000);
    });
  });
});

describe('nestjs-watchman bin when the app cannot boot', () => {
  it('gives up at --boot-timeout with a JSON failure naming the last error, instead of waiting out TypeORM', async () => {
    const run = await cli(['--module', FIXTURE, '--boot-timeout', '2500'], {
      CLI_PLAIN_URL: `postgres://postgres:hunter2@127.0.0.1:${await closedPort()}/test`,
    });
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(9000);
    const [failure] = lines(run.stderr);
    expect(failure.boot).toMatchObject({
      ok: false,
      error: expect.stringMatching(/did not boot within 2500 ms.*ECONNREFUSED/),
    });
    expect(run.stderr).not.toContain('hunter2');
    expect(run.stdout).toBe('');
  });

  it('takes the bound from WATCHMAN_CLI_BOOT_TIMEOUT_MS', async () => {
    const run = await cli(['--module', FIXTURE], {
      CLI_PLAIN_URL: `postgres://postgres@127.0.0.1:${await closedPort()}/test`,
      WATCHMAN_CLI_BOOT_TIMEOUT_MS: '1500',
    });
    expect(run.code).toBe(1);
    expect(lines(run.stderr)[0].boot.error).toMatch(/did not boot within 1500 ms/);
  });

  it('reports a boot that fails at once (bad configuration) as JSON too, exit 1', async () => {
    const run = await cli(['--module', FIXTURE], { WATCHMAN_CHECKS: 'databases,nope' });
    expect(run.code).toBe(1);
    expect(lines(run.stderr)[0].boot).toMatchObject({
      ok: false,
      error: expect.stringMatching(/checks \(WATCHMAN_CHECKS\) "nope": unknown check name/),
    });
  });

  it('prints a name it refuses JSON-escaped: a line break in it cannot forge a result line', async () => {
    const run = await cli(['--module', FIXTURE, '--checks', 'nope\n{"databases":{"ok":true}}']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not a configured check: "nope\\n{\\"databases\\":{\\"ok\\":true}}"');
    expect(run.stderr.split('\n').some((line) => line.startsWith('{"databases"'))).toBe(false);
  });

  it.each([['abc'], ['0'], ['2147483648']])('exits 2 on a bad --boot-timeout %s', async (value) => {
    const run = await cli(['--module', FIXTURE, '-t', value]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--boot-timeout must be a positive number/);
  });
});

describe('runWatchmanCli (programmatic)', () => {
  @WatchmanCheck('flaky')
  @Injectable()
  class ThrowsString {
    check() {
      throw 'not an Error';
    }
  }

  @Module({
    imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['passing', 'failing', 'flaky'] })],
    providers: [PassingCheck, FailingCheck, ThrowsString],
  })
  class AppModule {}

  const capture = () => {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) } },
    };
  };

  it('prints a failing non-critical check but exits 0', async () => {
    @WatchmanCheck('optional', { critical: false })
    @Injectable()
    class Optional {
      check() {
        throw new Error('nice to have');
      }
    }
    @Module({
      imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['passing', 'optional'] })],
      providers: [PassingCheck, Optional],
    })
    class Lenient {}
    const { out, io } = capture();
    expect(await runWatchmanCli(Lenient, ['-v', '1'], io)).toBe(0);
    expect(lines(out.stderr)).toEqual([
      { optional: { ok: false, critical: false, error: 'nice to have', stacktrace: expect.any(String) } },
    ]);
  });

  it('runs every selected check (no fail-fast) and prints each failure with its stack', async () => {
    const { out, io } = capture();
    expect(await runWatchmanCli(AppModule, ['-v', '2'], io)).toBe(1);
    expect(lines(out.stdout).map((line) => Object.keys(line)[0])).toEqual(['failing', 'flaky', 'passing']);
    const failures = lines(out.stderr);
    expect(failures.map((line) => Object.keys(line)[0])).toEqual(['failing', 'flaky']);
    expect(failures[0].failing.stacktrace).toContain('FailingCheck.check');
    expect(failures[1].flaky).toMatchObject({ ok: false, error: 'not an Error' });
  });

  it('prints a help without --module, which only the bin takes', async () => {
    const help = capture();
    expect(await runWatchmanCli(AppModule, ['-h'], help.io)).toBe(0);
    expect(help.out.stdout).toContain('-c, --checks');
    expect(help.out.stdout).not.toContain('--module');
    expect(help.out.stdout).toContain('-h, --help');
  });

  it('is silent with -v 0 and exits 0 for passing checks, 2 for --module (bin only)', async () => {
    const ok = capture();
    expect(await runWatchmanCli(AppModule, ['-v', '0', '-c', 'passing'], ok.io)).toBe(0);
    expect(ok.out).toEqual({ stdout: '', stderr: '' });
    const bad = capture();
    expect(await runWatchmanCli(AppModule, ['--module', 'x'], bad.io)).toBe(2);
  });
});
