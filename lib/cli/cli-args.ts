import { parseArgs } from 'node:util';
import { toList } from '../watchman.options.js';

/** What a command line asks for. */
export interface CliArgs {
  checks?: string[];
  skips?: string[];
  verbosity: number;
  help: boolean;
  module?: string;
}

/** Bad usage: the CLI prints the message and the usage text and exits 2. */
export class CliUsageError extends Error {}

export const CLI_USAGE = `Usage: nestjs-watchman [options]

Runs the app's watchman checks without an HTTP server and exits 0 when all pass, 1 when any
fails (each failure as JSON on stderr), 2 on bad usage.

Options:
  -c, --checks a,b       run only these checks (short or dotted names: databases, watchman.checks.caches)
  -s, --skips a,b        run every configured check but these
  -v, --verbosity 0-3    0 silent, 1 failures on stderr (default), 2 also every result as a JSON
                         line on stdout, 3 also Nest's logs on stderr
  -m, --module file#Export
                         the compiled module to boot (default: WATCHMAN_CLI_MODULE, else
                         dist/app.module.js#AppModule or dist/src/app.module.js#AppModule)
  -h, --help             show this help
`;

/** Parses argv (without node and script); throws CliUsageError on anything unknown. */
export function parseCliArgs(argv: readonly string[], withModule = true): CliArgs {
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
        help: { type: 'boolean', short: 'h' },
        ...(withModule ? { module: { type: 'string' as const, short: 'm' } } : {}),
      },
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const { values } = parsed as { values: Record<string, string | string[] | boolean | undefined> };
  const verbosityText = (values.verbosity as string | undefined) ?? '1';
  if (!/^[0-3]$/.test(verbosityText)) throw new CliUsageError(`--verbosity must be 0, 1, 2 or 3, not ${JSON.stringify(verbosityText)}`);
  const list = (value: unknown) => (value === undefined ? undefined : toList((value as string[]).join(',')));
  return {
    checks: list(values.checks),
    skips: list(values.skips),
    verbosity: Number(verbosityText),
    help: values.help === true,
    module: values.module as string | undefined,
  };
}
