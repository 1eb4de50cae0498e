import { parseArgs } from 'node:util';
import { toList } from '../common/check-names.js';
import { MAX_TIMER_MS } from '../options/option-schemas.js';

/** What a command line asks for. */
export interface CliArgs {
  checks?: string[];
  skips?: string[];
  verbosity: number;
  help: boolean;
  module?: string;
  /** How long the app may take to boot, in ms. */
  bootTimeout: number;
}

/** Bad usage: the CLI prints the message and the usage text and exits 2. */
export class CliUsageError extends Error {}

/** Default of `--boot-timeout` (and WATCHMAN_CLI_BOOT_TIMEOUT_MS). */
export const DEFAULT_BOOT_TIMEOUT_MS = 10_000;

export const CLI_USAGE = `Usage: nestjs-watchman [options]
       nestjs-watchman probe [URL | route] [--timeout ms] [--token T] [--grpc host:port]  (ask a running app; probe --help)

Runs the app's watchman checks without an HTTP server and exits 0 when all pass, 1 when any
fails (each failure as JSON on stderr) or the app cannot boot, 2 on bad usage. A failing
non-critical check is printed but does not fail the run.

Options:
  -c, --checks a,b         run only these checks (short or dotted names: databases, watchman.checks.caches)
  -s, --skips a,b          run every configured check but these
  -v, --verbosity 0-3      0 silent, 1 failures on stderr (default), 2 also every result as a JSON
                           line on stdout, 3 also Nest's logs on stderr
  -t, --boot-timeout ms    give up when the app has not booted by then (default: WATCHMAN_CLI_BOOT_TIMEOUT_MS,
                           else ${DEFAULT_BOOT_TIMEOUT_MS}); the failure is {"boot":{"ok":false,...}} on stderr
  -m, --module file#Export
                           the compiled module to boot (default: WATCHMAN_CLI_MODULE, else
                           dist/app.module.js#AppModule or dist/src/app.module.js#AppModule)
  -h, --help               show this help
`;

/** Parses argv (without node and script); throws CliUsageError on anything unknown. */
export function parseCliArgs(
  argv: readonly string[],
  withModule = true,
  env: NodeJS.ProcessEnv = process.env,
): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        checks: { type: 'string', short: 'c', multiple: true },
        skips: { type: 'string', short: 's', multiple: true },
        verbosity: { type: 'string', short: 'v' },
        'boot-timeout': { type: 'string', short: 't' },
        help: { type: 'boolean', short: 'h' },
        ...(withModule ? { module: { type: 'string' as const, short: 'm' } } : {}),
      },
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const { values } = parsed as { values: Record<string, string | string[] | boolean | undefined> };
  const verbosityText = (values.verbosity as string | undefined) ?? '1';
  if (!/^[0-3]$/.test(verbosityText))
    throw new CliUsageError(`--verbosity must be 0, 1, 2 or 3, not ${JSON.stringify(verbosityText)}`);
  const bootText =
    (values['boot-timeout'] as string | undefined) ??
    env.WATCHMAN_CLI_BOOT_TIMEOUT_MS ??
    String(DEFAULT_BOOT_TIMEOUT_MS);
  if (!/^\d+$/.test(bootText) || Number(bootText) < 1 || Number(bootText) > MAX_TIMER_MS) {
    throw new CliUsageError(
      `--boot-timeout must be a positive number of milliseconds (at most ${MAX_TIMER_MS}), not ${JSON.stringify(bootText)}`,
    );
  }
  const list = (value: unknown) => (value === undefined ? undefined : toList((value as string[]).join(',')));
  return {
    checks: list(values.checks),
    skips: list(values.skips),
    verbosity: Number(verbosityText),
    help: values.help === true,
    module: values.module as string | undefined,
    bootTimeout: Number(bootText),
  };
}
