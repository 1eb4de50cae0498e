import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dir.js';

/** A certificate and its key, PEM. */
export interface Pem {
  cert: string;
  key: string;
}

/** Test certificates made with the machine's openssl: a CA and server certificates it signs. */
export interface TestCertificates {
  ca: string;
  valid: Pem;
  expiringSoon: Pem;
  expired: Pem;
  selfSigned: Pem;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeCertificates(): TestCertificates {
  const dir = tempDir('watchman-certs-');
  const pem = (name: string): Pem => ({
    cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
  });
  // A self-signed certificate: the test CA, and the untrusted server certificate.
  const selfSigned = (name: string, subject: string, extra: string[] = []): Pem => {
    const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '365', '-subj', subject, ...extra];
    openssl(dir, [...args, '-keyout', `${name}.key`, '-out', `${name}.crt`]);
    return pem(name);
  };
  // A server certificate for localhost, signed by the test CA, valid for `days` (negative: expired).
  const signed = (name: string, days: number): Pem => {
    openssl(dir, [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      '/CN=localhost',
    ]);
    const ca = ['-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial'];
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      ...ca,
      '-out',
      `${name}.crt`,
      '-days',
      String(days),
      '-extfile',
      'san.ext',
    ]);
    return pem(name);
  };
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  const ca = selfSigned('ca', '/CN=watchman test CA');
  return {
    ca: ca.cert,
    valid: signed('valid', 365),
    expiringSoon: signed('soon', 3),
    expired: signed('expired', -1),
    selfSigned: selfSigned('self', '/CN=localhost', ['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']),
  };
}
