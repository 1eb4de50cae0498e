import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/** An app logger (pass it as `logger` to the app) that keeps every line it is given. */
export class RecordingLogger extends ConsoleLogger {
  readonly lines: Array<{ level: LogLevel; context?: string; message: string }> = [];

  constructor(logLevels: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose']) {
    super({ logLevels });
  }

  /** The lines of watchman's logger context, optionally of one level. */
  watchman(level?: LogLevel): Array<{ level: LogLevel; message: string }> {
    return this.lines.filter((line) => line.context === 'watchman' && (level === undefined || line.level === level));
  }

  protected override printMessages(messages: unknown[], context?: string, logLevel: LogLevel = 'log'): void {
    for (const message of messages) this.lines.push({ level: logLevel, context, message: String(message) });
  }
}
