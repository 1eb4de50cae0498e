import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/**
 * Nest's console logger with every level on stderr (the CLI's stdout carries only JSON
 * lines), printing only when asked to, and remembering the last error so a boot that never
 * finishes can say why.
 */
export class CliLogger extends ConsoleLogger {
  /** The last error logged (message, then the stack or cause Nest passed with it). */
  lastError?: string;

  constructor(private readonly print: boolean) {
    super({
      logLevels: ['error', 'warn', 'log', 'debug', 'verbose'],
      colors: print && Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
    });
  }

  override error(message: unknown, ...rest: unknown[]): void {
    const detail = rest.find((part) => typeof part === 'string' && /\n\s+at /.test(part)) as string | undefined;
    const cause = detail?.split('\n')[0];
    this.lastError = [String(message), cause].filter(Boolean).join(': ');
    if (this.print) super.error(message, ...rest);
  }

  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _stream?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    if (this.print) super.printMessages(messages, context, logLevel, 'stderr', errorStack, params);
  }
}
