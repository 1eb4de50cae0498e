import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/** Nest's console logger, but every level on stderr: the CLI's stdout carries only JSON lines. */
export class StderrLogger extends ConsoleLogger {
  protected override printMessages(messages: unknown[], context?: string, logLevel?: LogLevel, _stream?: 'stdout' | 'stderr', errorStack?: unknown, params?: Record<string, unknown>): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack, params);
  }
}
