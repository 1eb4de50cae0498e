import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { Browser } from 'playwright-core';
import { WatchmanCheck, WatchmanModule, WatchmanRunner } from 'nestjs-watchman';
import { PassingCheck, sleep } from '../fixtures/checks.js';
import { describeWithBrowser, launchChromium } from '../support/browser.js';
import { ADAPTERS, startHttpApp, using } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';

const SHOTS = join(import.meta.dirname, 'screenshots');
const RUNS = 7;

/** Slower each run, and failing every third one: a line that climbs, with crosses on it. */
@WatchmanCheck('flaky')
@Injectable()
class FlakyCheck {
  private runs = 0;
  async check(): Promise<object> {
    this.runs += 1;
    // Far apart (20 ms … 140 ms), so a loaded machine's delays cannot reorder them.
    await sleep(this.runs * 20);
    if (this.runs % 3 === 0) throw new Error(`run ${this.runs} failed`);
    return {};
  }
}

describeWithBrowser()('the dashboard sparkline in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it.each(ADAPTERS)(
    'draws each row as an SVG line with a point per run and a cross per failure on %s',
    async (adapter) => {
      const modules = {
        imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['passing', 'flaky'], historySize: 20 })],
        providers: [PassingCheck, FlakyCheck],
      };
      await using(startHttpApp(modules, adapter), async (app) => {
        // RUNS runs in all: these, and the one the page's own request makes.
        for (let i = 0; i < RUNS - 1; i++) await app.app.get(WatchmanRunner).run();
        await using(browser.newContext({ viewport: { width: 1100, height: 420 } }), async (context) => {
          const page = await context.newPage();
          const requests: string[] = [];
          const messages: string[] = [];
          page.on('request', (req) => requests.push(req.url()));
          page.on('console', (message) => messages.push(message.text()));
          expect((await page.goto(`${app.url}/watchman/dashboard`))?.status()).toBe(200);

          const sparks = page.locator('svg.spark');
          expect(await sparks.count()).toBe(2);
          for (const spark of await sparks.all()) {
            expect(await spark.isVisible()).toBe(true);
            const box = await spark.boundingBox();
            expect(box?.width).toBeGreaterThan(50);
            expect(box?.height).toBeGreaterThan(10);
            // The browser's own parse of the line: one vertex per run.
            expect(await spark.locator('polyline').evaluate((line) => (line as SVGPolylineElement).points.length)).toBe(
              RUNS,
            );
          }
          // Found by its accessible name, as a screen reader would: runs 3 and 6 failed.
          const flaky = page.getByRole('img', { name: /^flaky: latency of the last 7 runs, min [\d.]+ ms, max/ });
          expect(await flaky.getAttribute('aria-label')).toMatch(/; 2 failed$/);
          expect(await flaky.locator('path.fail').count()).toBe(2);
          expect(await flaky.locator('circle.last').count()).toBe(1);
          // Scaled to its own max: the slowest run touches the top pad, and the line climbs.
          const ys = await flaky
            .locator('polyline')
            .evaluate((line) => [...(line as SVGPolylineElement).points].map((point) => point.y));
          expect(Math.min(...ys)).toBe(4);
          expect(ys[0]).toBeGreaterThan(ys[RUNS - 1]);
          const passing = page.getByRole('img', { name: /^passing: .*; 0 failed$/ });
          expect(await passing.locator('path.fail').count()).toBe(0);
          // A failure's cross is drawn in a stroke, not only a colour: it has its own geometry.
          const cross = await flaky.locator('path.fail').first().boundingBox();
          expect(cross?.width).toBeGreaterThan(3);

          expect(requests).toEqual([`${app.url}/watchman/dashboard`]);
          expect(messages.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
          await page.screenshot({ path: join(SHOTS, `sparkline-${adapter}.png`), fullPage: true });
        });
      });
    },
  );
});
