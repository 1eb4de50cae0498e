import type { WatchmanCheckable } from './check.interface.js';

/** Subject and body of the test message. */
export const EMAIL_SUBJECT = 'nestjs-watchman email check';
export const EMAIL_BODY = 'This is an automated test of the email system.';

interface TransporterLike {
  sendMail(message: Record<string, unknown>): Promise<unknown>;
  close?(): void;
}

/**
 * `email` (paid, off by default): sends a test message through nodemailer, with the app's own
 * transporter (`email.transport`) or one built from `SMTP_URL`.
 */
/** The `email` check's own settings. */
export interface EmailCheckSettings {
  sender: string;
  recipients: readonly string[];
  headers: Readonly<Record<string, string>>;
  /** A nodemailer Transporter, an SMTP URL or transport options. */
  transport: unknown;
  /** The check's timeout: the SMTP sockets give up then too. */
  timeout: number;
}

export class EmailCheck implements WatchmanCheckable {
  private transporter?: Promise<TransporterLike>;
  private ownsTransporter = false;

  constructor(private readonly settings: EmailCheckSettings) {}

  async check(signal: AbortSignal): Promise<void> {
    const transporter = await (this.transporter ??= this.createTransporter().catch((error: unknown) => {
      this.transporter = undefined;
      throw error;
    }));
    const { sender, recipients, headers } = this.settings;
    signal.throwIfAborted();
    await transporter.sendMail({
      from: sender,
      to: [...recipients],
      subject: EMAIL_SUBJECT,
      text: EMAIL_BODY,
      headers: withWatchmanHeader(headers),
    });
  }

  /** Closes a transporter watchman built itself; the app's own stays the app's to close. */
  async close(): Promise<void> {
    if (!this.ownsTransporter || !this.transporter) return;
    const transporter = await this.transporter.catch(() => undefined);
    transporter?.close?.();
  }

  private async createTransporter(): Promise<TransporterLike> {
    const transport = this.settings.transport;
    if (typeof (transport as TransporterLike | undefined)?.sendMail === 'function') return transport as TransporterLike;
    if (transport === undefined || transport === null || transport === '') {
      throw new Error('no email transport: set SMTP_URL or the email.transport option');
    }
    const nodemailer = await import('nodemailer').catch(() => {
      throw new Error('the email check needs the nodemailer package: npm install nodemailer');
    });
    // Sockets give up at the check's timeout, so a hung server is not left connected.
    const timeouts = {
      connectionTimeout: this.settings.timeout,
      greetingTimeout: this.settings.timeout,
      socketTimeout: this.settings.timeout,
    };
    const options =
      typeof transport === 'string' ? { url: transport, ...timeouts } : { ...timeouts, ...(transport as object) };
    const create = (nodemailer.default ?? nodemailer).createTransport as (options: unknown) => TransporterLike;
    this.ownsTransporter = true;
    return create(options);
  }
}

/** `X-Watchman: true` first, then the configured headers, which may override it (any case). */
export function withWatchmanHeader(headers: Readonly<Record<string, string>>): Record<string, string> {
  const overridden = Object.keys(headers).some((name) => name.toLowerCase() === 'x-watchman');
  return overridden ? { ...headers } : { 'X-Watchman': 'true', ...headers };
}
