import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { servicesRequired } from './services.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless; never a browser downloaded by a tool. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** `describe` when Chromium is installed; a visible skip otherwise (a failure under CI). */
export function describeWithBrowser(): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  const message = `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  if (servicesRequired) {
    return ((title: string) =>
      describe(title, () =>
        it('needs Chromium', () => {
          throw new Error(message);
        }),
      )) as unknown as jest.Describe;
  }
  console.warn(`SKIPPED: ${message}; browser tests are skipped`);
  return describe.skip;
}
