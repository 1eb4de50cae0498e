// Tests that spawn real processes (CLI, sample app, APM agents, shutdown) run compiled code:
// build the library, the sample app and the fixture apps once (incremental: a no-op when unchanged).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', join(root, 'sample-app/tsconfig.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [tsc, '-p', join(root, 'test/fixtures/tsconfig.json')], { stdio: 'inherit' });
}
