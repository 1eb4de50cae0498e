import { runNode } from '../support/spawn-node.js';

// bench/profile.mjs, as a maintainer runs it after a regression: the sample app under
// `--cpu-prof`, one route loaded, and where the time went, read back from the profile.

describe('npm run bench:profile', () => {
  it.each(['fastify', 'express'])(
    'prints the layers, watchman’s own functions and the hottest ones (%s)',
    async (adapter) => {
      const run = await runNode([
        'bench/profile.mjs',
        '/watchman/ping',
        '--adapter',
        adapter,
        '--seconds',
        '1',
        '--top',
        '40',
      ]);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(
        new RegExp(`^/watchman/ping on ${adapter} \\(sample app\\): \\d+ req/s, 0 non-2xx, 0 errors`),
      );
      const sections = run.stdout.split('\n\n');
      expect(sections.map((section) => section.split('\n')[0])).toEqual([
        expect.stringContaining('/watchman/ping on'),
        'share of time per layer',
        'watchman’s functions, inclusive time (what they and their callees took)',
        'hottest 40 functions (self time)',
      ]);
      // The route's own handler shows up with the file it lives in.
      expect(sections[2]).toMatch(/%\s+handle dist\/http\/watchman-http\.service\.js:\d+/);
      expect(sections[1]).toMatch(/%\s+watchman \(dist\/\)/);
    },
    60_000,
  );
});
