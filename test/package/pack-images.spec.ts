import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/spawn-node.js';

// The README's screenshots (~250 kB) are for the repository's page, not for every install: the
// package leaves them out and the README refers to them by relative path, which the repository
// host (and npm's page, through `repository`) resolves.

function packedFiles(): string[] {
  // A dry run lists what `files` and the ignore rules let in; no build is needed for that.
  const json = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    env: { ...process.env, npm_config_update_notifier: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
  const [result] = JSON.parse(json.slice(json.indexOf('['))) as Array<{ files: Array<{ path: string }> }>;
  return result.files.map((file) => file.path);
}

/** Every image the README shows, Markdown or `<img>`. */
function readmeImages(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [
    ...[...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].map((match) => match[1]),
    ...[...readme.matchAll(/<img\b[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1]),
  ];
}

describe('the README images and the package', () => {
  it('packs no image: `npm pack --dry-run --json` lists no .png', () => {
    const files = packedFiles();
    expect(files).toContain('README.md');
    expect(files.filter((file) => /\.(png|jpe?g|gif|webp)$/i.test(file))).toEqual([]);
  });

  it('links each README image by a relative path to a file in the repository', () => {
    const images = readmeImages();
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const image of images) {
      expect(image).not.toMatch(/^[a-z]+:|^\/\//i);
      expect([image, existsSync(join(ROOT, image))]).toEqual([image, true]);
    }
  });
});
