import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { normalizeCheckName } from '../common/check-names.js';
import { describeError } from '../common/error-like.js';
import { within } from '../common/race.js';
import { redactUrls } from '../common/redact.js';
import { checkToJson } from '../formats/json.format.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import { CLI_USAGE, type CliArgs, CliUsageError, parseCliArgs } from './cli-args.js';
import { CliLogger } from './cli.logger.js';

/** Where the CLI writes (the process streams by default). */
export interface WatchmanCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

// Closing can hang on a dependency that never answers; the CLI must still end.
const CLOSE_TIMEOUT_MS = 5000;

/**
 * django-watchman's management command for a Nest app: boots `appModule` without HTTP, runs
 * the checks through the same runner as the routes, prints, closes the app and resolves to
 * the exit code (0 all ok, 1 a check failed or the app did not boot, 2 bad usage). Ship it as
 * your own script, and end the process with the code (a dependency may hold it open):
 *
 * @example
 * // scripts/watchman.ts
 * process.exit(await runWatchmanCli(AppModule, process.argv.slice(2)));
 */
export async function runWatchmanCli(
  appModule: Type<unknown> | DynamicModule,
  argv: readonly string[] = process.argv.slice(2),
  io: WatchmanCliIo = process,
): Promise<number> {
  let args;
  try {
    args = parseCliArgs(argv, false);
  } catch (error) {
    return usageError(io, error as Error);
  }
  if (args.help) {
    io.stdout.write(CLI_USAGE.replace(/ {2}-m, --module[\s\S]*?AppModule\)\n/, ''));
    return 0;
  }
  return runChecks(appModule, args, io);
}

/** Boots the module and runs the selected checks; the usage is already parsed. */
export async function runChecks(
  appModule: Type<unknown> | DynamicModule,
  args: Pick<CliArgs, 'checks' | 'skips' | 'verbosity' | 'bootTimeout'>,
  io: WatchmanCliIo,
): Promise<number> {
  const logger = new CliLogger(args.verbosity >= 3);
  let app: INestApplicationContext | undefined;
  try {
    app = await bootWithin(appModule, logger, args.bootTimeout);
  } catch (error) {
    const { error: message, stacktrace } = describeError(error);
    const reason =
      logger.lastError && !message.includes(logger.lastError)
        ? `${message} (last error: ${logger.lastError})`
        : message;
    if (args.verbosity >= 1)
      io.stderr.write(
        `${JSON.stringify({ boot: { ok: false, error: redactUrls(reason), stacktrace: redactUrls(stacktrace) } })}\n`,
      );
    return 1;
  }
  try {
    const runner = app.get(WatchmanRunner, { strict: false });
    const config = app.get<WatchmanConfig>(WATCHMAN_CONFIG, { strict: false });
    const names = selectForCli(runner.configuredChecks(), args.checks, args.skips);
    const report = await runner.runNames(names, { fresh: true });
    for (const check of report.checks) {
      const line = `${JSON.stringify({ [check.name]: checkToJson(check, config.stacktraces) })}\n`;
      if (args.verbosity >= 2) io.stdout.write(line);
      if (!check.outcome.ok && args.verbosity >= 1) io.stderr.write(line);
    }
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof CliUsageError) return usageError(io, error);
    io.stderr.write(`nestjs-watchman: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  } finally {
    await closeWithin(app, CLOSE_TIMEOUT_MS);
  }
}

/** `-c` / `-s` against the configured checks; a name that is not configured is bad usage. */
export function selectForCli(configured: readonly string[], checks?: string[], skips?: string[]): string[] {
  const normalize = (names: string[] | undefined) => names?.map(normalizeCheckName);
  const wanted = normalize(checks);
  const skipped = normalize(skips) ?? [];
  const unknown = [...(wanted ?? []), ...skipped].filter((name) => !configured.includes(name));
  if (unknown.length > 0) {
    throw new CliUsageError(
      `not a configured check: ${[...new Set(unknown)].map((name) => JSON.stringify(name)).join(', ')} (configured: ${configured.join(', ')})`,
    );
  }
  const names = configured.filter((name) => (wanted === undefined || wanted.includes(name)) && !skipped.includes(name));
  if (names.length === 0) throw new CliUsageError('no check selected: -c and -s leave nothing to run');
  return names;
}

// A database that is down at boot makes @nestjs/typeorm retry for ~30 s: the CLI gives up sooner.
async function bootWithin(
  appModule: Type<unknown> | DynamicModule,
  logger: CliLogger,
  ms: number,
): Promise<INestApplicationContext> {
  const booting = NestFactory.createApplicationContext(appModule, { logger, abortOnError: false });
  try {
    return await within(booting, ms, () => {
      throw new Error(`the app did not boot within ${ms} ms`);
    });
  } catch (error) {
    // A boot that finishes after all is closed, not left running.
    booting.then(
      (late) => closeWithin(late, CLOSE_TIMEOUT_MS),
      () => undefined,
    );
    throw error;
  }
}

function usageError(io: WatchmanCliIo, error: Error): number {
  io.stderr.write(`nestjs-watchman: ${error.message}\n\n${CLI_USAGE}`);
  return 2;
}

async function closeWithin(app: INestApplicationContext, ms: number): Promise<void> {
  await within(
    app.close().catch(() => undefined),
    ms,
    () => undefined,
  );
}
