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
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '30',
    '-subj',
    '/CN=watchman test CA',
  ]);
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
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      String(days),
      '-extfile',
      'san.ext',
    ]);
    return {
      cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
      key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    };
  };
  const valid = signed('valid', 365);
  const expiringSoon = signed('soon', 3);
  const expired = signed('expired', -1);
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'self.key',
    '-out',
    'self.crt',
    '-days',
    '365',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  const selfSigned = {
    cert: readFileSync(join(dir, 'self.crt'), 'utf8'),
    key: readFileSync(join(dir, 'self.key'), 'utf8'),
  };
  return { ca: readFileSync(join(dir, 'ca.crt'), 'utf8'), valid, expiringSoon, expired, selfSigned };
}
