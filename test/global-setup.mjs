// Tests that spawn real processes (CLI, APM agents) run the compiled package: build it once.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  for (const project of ['tsconfig.build.json', 'test/fixtures/cli-app/tsconfig.json']) {
    execFileSync(process.execPath, [tsc, '-p', join(root, project)], { stdio: 'inherit' });
  }
}
