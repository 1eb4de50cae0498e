import { type PeerCertificate, type TLSSocket, connect } from 'node:tls';
import type { TlsTargetConfig } from '../options/option-schemas.js';
import type { WatchmanMultiCheckable } from './check.interface.js';
import { WatchmanCheckError } from './check-error.js';

const DAY_MS = 86_400_000;

/**
 * `tls`: the certificate each target presents (`tls: { name: 'host:port' }`) must be trusted,
 * match the host, and stay valid for at least `minDaysLeft` days. Reports `days_left` and the
 * `subject` even when it fails.
 */
/** The `tls` check's own settings. */
export interface TlsCheckSettings {
  targets: ReadonlyMap<string, TlsTargetConfig>;
  /** For targets without their own `minDaysLeft`. */
  minDaysLeft: number;
}

export class TlsCheck implements WatchmanMultiCheckable {
  constructor(private readonly settings: TlsCheckSettings) {}

  aliases(): string[] {
    return [...this.settings.targets.keys()];
  }

  async checkAlias(alias: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const target = this.settings.targets.get(alias);
    if (!target) throw new Error(`no tls check named ${JSON.stringify(alias)}`);
    const { certificate, authorizationError } = await handshake(target, signal);
    const daysLeft = Math.floor((Date.parse(certificate.valid_to) - Date.now()) / DAY_MS);
    const facts = {
      days_left: daysLeft,
      subject: certificate.subject?.CN ?? formatName(certificate.subject),
      issuer: certificate.issuer?.CN ?? formatName(certificate.issuer),
      valid_to: new Date(certificate.valid_to).toISOString(),
    };
    const where = `${target.host}:${target.port}`;
    if (authorizationError)
      throw new WatchmanCheckError(`${where}: certificate not trusted (${authorizationError})`, { details: facts });
    const minDaysLeft = target.minDaysLeft ?? this.settings.minDaysLeft;
    if (daysLeft < minDaysLeft) {
      throw new WatchmanCheckError(`${where}: certificate expires in ${daysLeft} days, fewer than ${minDaysLeft}`, {
        details: facts,
      });
    }
    return facts;
  }
}

// The handshake is made without rejecting, so an untrusted or expired certificate can still be described.
function handshake(
  target: TlsTargetConfig,
  signal: AbortSignal,
): Promise<{ certificate: PeerCertificate; authorizationError?: string }> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const socket: TLSSocket = connect({
      host: target.host,
      port: target.port,
      servername: target.servername ?? (isIp(target.host) ? undefined : target.host),
      ca: target.ca,
      rejectUnauthorized: false,
    });
    const finish = (error?: Error) => {
      signal.removeEventListener('abort', onAbort);
      const certificate = error ? undefined : socket.getPeerCertificate();
      const authorizationError = socket.authorizationError ? String(socket.authorizationError) : undefined;
      socket.destroy();
      if (error) reject(error);
      else if (!certificate || !certificate.valid_to)
        reject(new Error(`${target.host}:${target.port} presented no certificate`));
      else resolve({ certificate, authorizationError });
    };
    const onAbort = () => finish(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => finish());
    socket.once('error', (error) =>
      finish(new Error(`${target.host}:${target.port}: ${error.message}`, { cause: error })),
    );
  });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

function formatName(name: object | undefined): string {
  return Object.entries(name ?? {})
    .map(([key, value]) => `${key}=${[value as string | string[]].flat().join('+')}`)
    .join(', ');
}
