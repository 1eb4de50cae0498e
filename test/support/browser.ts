import { type Browser, chromium } from 'playwright-core';
import { describeIf, needsProgram } from './requirements.js';

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
  return describeIf(needsProgram(CHROMIUM, 'chromium'));
}
