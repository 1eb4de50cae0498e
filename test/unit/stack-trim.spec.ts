import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { trimOwnFrames } from '../../lib/common/stack-trim.js';
import { ROOT } from '../support/spawn-node.js';

const own = (file: string) => `${pathToFileURL(join(ROOT, 'lib', file)).href}:10:5`;
const app = '/srv/app/dist/payments.check.js:3:11';

describe('trimOwnFrames', () => {
  it("cuts the stack at watchman's first frame (a file URL or a path): the check's frames stay, its callers go", () => {
    const stack = [
      'Error: boom',
      `    at PaymentsCheck.check (${app})`,
      '    at Pool.query (/srv/app/node_modules/pg-pool/index.js:45:11)',
      `    at runWithTimeout (${own('runner/check.executor.ts')})`,
      `    at ${join(ROOT, 'lib/runner/check.runner.ts')}:88:20`,
      '    at /srv/app/node_modules/@nestjs/core/router/router-execution-context.js:61:37',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at async Promise.all (index 0)',
    ].join('\n');
    expect(trimOwnFrames(stack)).toBe(
      [
        'Error: boom',
        `    at PaymentsCheck.check (${app})`,
        '    at Pool.query (/srv/app/node_modules/pg-pool/index.js:45:11)',
      ].join('\n'),
    );
    const viaFileUrl = `Error: boom\n    at f (${app})\n    at run (${own('runner/check.executor.ts')})`;
    expect(trimOwnFrames(viaFileUrl)).toBe(`Error: boom\n    at f (${app})`);
  });

  it("keeps the first frame when every frame with a file is watchman's (a built-in's own failure)", () => {
    const stack = [
      'Error: no email transport',
      `    at EmailCheck.check (${own('checks/email.check.ts')})`,
      `    at runWithTimeout (${own('runner/check.executor.ts')})`,
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ].join('\n');
    expect(trimOwnFrames(stack)).toBe(
      ['Error: no email transport', `    at EmailCheck.check (${own('checks/email.check.ts')})`].join('\n'),
    );
  });

  it('leaves a stack without watchman frames, and a message line naming its files, as it is', () => {
    const stack = `Error: cannot read ${join(ROOT, 'lib/x.ts')}\n    at f (${app})`;
    expect(trimOwnFrames(stack)).toBe(stack);
  });
});
