import { join } from 'node:path';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import request from 'supertest';
import { Injectable } from '@nestjs/common';
import { WatchmanCheck, WatchmanModule, WatchmanRunner } from 'nestjs-watchman';
import { FailingCheck, PassingCheck, ShardsCheck } from '../fixtures/checks.js';
import { describeWithBrowser, launchChromium } from '../support/browser.js';
import { ADAPTERS, type RunningApp, startHttpApp, using } from '../support/http-app.js';
import { tempDir } from '../support/temp-dir.js';
import { withEnv } from '../support/with-env.js';

const SHOTS = join(import.meta.dirname, 'screenshots');
// The README's images: these tests redraw them.
const DOCS = join(import.meta.dirname, '../../docs');

@WatchmanCheck('optional', { critical: false })
@Injectable()
class OptionalFailingCheck {
  check(): never {
    throw new Error('optional is down');
  }
}
const TOKEN = 'dash-token';

describeWithBrowser()('dashboard in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  /** Opens a page, recording every request it makes. */
  async function open(
    url: string,
    options: BrowserContextOptions = {},
  ): Promise<{ page: Page; requests: string[]; close(): Promise<void> }> {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    return { page, requests, close: () => context.close() };
  }

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startHttpApp(
        {
          imports: [
            TypeOrmModule.forRoot({ type: 'sqljs' }),
            TypeOrmModule.forRoot({ type: 'sqljs', name: 'reports' }),
            WatchmanModule.forRoot({
              mediaRoot: tempDir(),
              tokens: [TOKEN],
              exposeVersion: true,
              checks: ['databases', 'storage', 'passing', 'failing', 'shards'],
            }),
          ],
          providers: [PassingCheck, FailingCheck, ShardsCheck],
        },
        adapter,
      );
      // a few runs, so the history strip has something to show
      for (let i = 0; i < 3; i++) await app.app.get(WatchmanRunner).run();
    });
    afterAll(() => app.close());

    const dashboard = (query = '') => `${app.url}/watchman/dashboard?watchman-token=${TOKEN}${query}`;

    it('renders one row per check and alias, with status, and loads nothing else', async () => {
      await using(open(dashboard()), async ({ page, requests }) => {
        const rows = await page.$$eval('tbody tr', (trs) =>
          trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent?.trim())),
        );
        expect(rows.map((row) => [row[0], row[1], row[2]?.split('\n')[0]])).toEqual([
          ['databases', 'default', '✓ ok'],
          ['databases', 'reports', '✓ ok'],
          ['failing', '—', '✗ failed'],
          ['passing', '—', '✓ ok'],
          ['shards', 'alpha', '✓ ok'],
          ['shards', 'mid', '✗ failed'],
          ['shards', 'zeta', '✓ ok'],
          ['storage', '—', '✓ ok'],
        ]);
        expect(await page.textContent('.banner')).toContain('2 of 8 failing');
        expect(await page.textContent('footer')).toMatch(/nestjs-watchman \d+\.\d+\.\d+/);
        expect(await page.$$eval('.strip', (strips) => strips.length)).toBe(8);
        expect(requests).toEqual([dashboard()]);
        await page.screenshot({ path: join(SHOTS, `failing-${adapter}.png`), fullPage: true });
      });
    });

    it('opens the failure details, escaping the markup in the error', async () => {
      await using(open(dashboard()), async ({ page }) => {
        const details = page.locator('tr.bad details').first();
        expect(await details.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
        await details.locator('summary').click();
        expect(await details.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
        expect(await details.locator('.error').textContent()).toBe('boom <script>window.__pwned = true</script>');
        expect(await details.locator('pre').textContent()).toContain('FailingCheck.check');
        expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
        expect(await page.evaluate(() => document.scripts.length)).toBe(0);
      });
    });

    it('sends a strict Content-Security-Policy and still renders its styles under it', async () => {
      const res = await request(app.url).get(`/watchman/dashboard?watchman-token=${TOKEN}`).expect(200);
      expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
      await using(open(dashboard()), async ({ page }) => {
        const violations: string[] = [];
        page.on('console', (message) => violations.push(message.text()));
        await page.reload();
        const background = await page.$eval('.banner', (el) => getComputedStyle(el).backgroundColor);
        expect(background).not.toBe('rgba(0, 0, 0, 0)');
        expect(violations.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
      });
    });

    it('fits a 375 px phone without horizontal scroll, and works with JavaScript disabled', async () => {
      await using(
        open(dashboard(), { viewport: { width: 375, height: 812 }, javaScriptEnabled: false, isMobile: true }),
        async ({ page }) => {
          expect(await page.locator('tbody tr').count()).toBe(8);
          await page.locator('tr.bad details summary').first().click();
          const widths = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
          }));
          expect(widths.scroll).toBeLessThanOrEqual(widths.client);
          await page.screenshot({ path: join(SHOTS, `phone-${adapter}.png`), fullPage: true });
        },
      );
    });

    it('follows the dark colour scheme', async () => {
      await using(open(dashboard(), { colorScheme: 'dark' }), async ({ page }) => {
        const rgb = await page.$eval('body', (el) => getComputedStyle(el).backgroundColor);
        const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
        expect(r + g + b).toBeLessThan(150);
        await page.screenshot({ path: join(SHOTS, `dark-${adapter}.png`), fullPage: true });
      });
    });

    it('keeps the selection in its own links, and never copies a header token into a URL', async () => {
      await using(
        open(`${app.url}/watchman/dashboard?check=shards`, {
          extraHTTPHeaders: { Authorization: `WATCHMAN-TOKEN Token="${TOKEN}"` },
        }),
        async ({ page, requests }) => {
          expect(await page.locator('tbody tr').count()).toBe(3);
          const hrefs = await page.$$eval('a', (links) => links.map((link) => link.getAttribute('href') ?? ''));
          expect(hrefs.filter((href) => href.includes(TOKEN))).toEqual([]);
          // The browser keeps sending its header, so following the links still works.
          await Promise.all([
            page.waitForURL(`${app.url}/watchman/dashboard?check=shards`),
            page.getByRole('link', { name: 'Refresh now' }).click(),
          ]);
          expect(await page.locator('tbody tr').count()).toBe(3);
          await Promise.all([
            page.waitForURL(`${app.url}/watchman?check=shards`),
            page.getByRole('link', { name: 'JSON' }).click(),
          ]);
          expect(JSON.parse(await page.locator('body').innerText())).toHaveProperty('shards');
          expect(requests.every((url) => url.startsWith(app.url) && !url.includes(TOKEN))).toBe(true);
        },
      );
    });

    it('keeps a parameter token and the selection in its own links', async () => {
      await using(open(`${app.url}/watchman/dashboard?check=shards&watchman-token=${TOKEN}`), async ({ page }) => {
        await Promise.all([
          page.waitForURL(`${app.url}/watchman/dashboard?check=shards&watchman-token=${TOKEN}`),
          page.getByRole('link', { name: 'Refresh now' }).click(),
        ]);
        expect(await page.locator('tbody tr').count()).toBe(3);
      });
    });

    it('links each type to that check alone, keeping the token', async () => {
      await using(open(dashboard()), async ({ page }) => {
        await Promise.all([
          page.waitForURL(/dashboard\?check=storage&watchman-token=/),
          page.getByRole('link', { name: 'storage' }).click(),
        ]);
        expect(await page.locator('tbody tr').count()).toBe(1);
        expect(await page.textContent('.banner')).toContain('All checks passing');
      });
    });

    it('auto-refreshes with ?refresh (bounded), keeping selection and token', async () => {
      await using(open(dashboard('&skip=failing&refresh=1')), async ({ page }) => {
        expect(await page.$eval('meta[http-equiv="refresh"]', (el) => el.getAttribute('content'))).toBe('5');
        const reloaded = page.waitForEvent('framenavigated', { timeout: 9000 });
        await reloaded;
        expect(page.url()).toContain('skip=failing');
        expect(page.url()).toContain(`watchman-token=${TOKEN}`);
        const stop = page.getByRole('link', { name: /Stop auto-refresh/ });
        expect(await stop.getAttribute('href')).toBe(`?skip=failing&watchman-token=${TOKEN}`);
      });
      const res = await request(app.url).get(`/watchman/dashboard?watchman-token=${TOKEN}&refresh=999999`).expect(200);
      expect(res.text).toContain('<meta http-equiv="refresh" content="3600">');
      const none = await request(app.url).get(`/watchman/dashboard?watchman-token=${TOKEN}&refresh=abc`).expect(200);
      expect(none.text).not.toContain('http-equiv="refresh"');
    });

    it('answers 200 with a message when no check is selected, and 403 without the token', async () => {
      const res = await request(app.url).get(`/watchman/dashboard?watchman-token=${TOKEN}&check=nothing`).expect(200);
      expect(res.text).toContain('No checks found');
      await request(app.url).get('/watchman/dashboard').expect(403);
    });
  });

  it('shows a failing non-critical check as a warning: its own word, icon, colour and mark, apart from a failure', async () => {
    const booting = startHttpApp(
      {
        imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['passing', 'failing', 'optional'] })],
        providers: [PassingCheck, FailingCheck, OptionalFailingCheck],
      },
      'express',
    );
    await using(booting, async (app) => {
      // A few runs, so the history shows a line and its crosses.
      for (let i = 0; i < 5; i++) await app.app.get(WatchmanRunner).run();
      await using(
        open(`${app.url}/watchman/dashboard`, { viewport: { width: 1100, height: 500 } }),
        async ({ page }) => {
          expect(await page.textContent('.banner')).toContain('1 of 3 failing, 1 warning (non-critical)');
          expect(await page.locator('tr.warn .status').innerText()).toBe('⚠ warning (non-critical)');
          expect(await page.locator('tr.bad .status').innerText()).toBe('✗ failed');
          const colour = (selector: string) => page.$eval(selector, (el) => getComputedStyle(el).color);
          expect(await colour('tr.warn .status')).not.toBe(await colour('tr.bad .status'));
          await page.locator('tr.warn details summary').click();
          expect(await page.locator('tr.warn .error').innerText()).toBe('optional is down');
          await page.screenshot({ path: join(DOCS, 'dashboard-warning.png'), fullPage: true });
        },
      );
    });
  });

  it('shows the sample app in desktop and phone sizes (README screenshot)', async () => {
    await withEnv({ MEDIA_ROOT: tempDir() }, async () => {
      const { AppModule } = await import('../../sample-app/src/app.module.js');
      await using(startHttpApp({ imports: [AppModule] }, 'express'), async (app) => {
        for (let i = 0; i < 5; i++) await app.app.get(WatchmanRunner).run();
        const desktop = await open(`${app.url}/watchman/dashboard`, { viewport: { width: 1100, height: 640 } });
        expect(await desktop.page.locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
        await desktop.page.screenshot({ path: join(DOCS, 'dashboard.png') });
        expect(desktop.requests).toHaveLength(1);
        await desktop.close();
        const phone = await open(`${app.url}/watchman/dashboard`, {
          viewport: { width: 375, height: 812 },
          isMobile: true,
        });
        await phone.page.screenshot({ path: join(DOCS, 'dashboard-phone.png'), fullPage: true });
        await phone.close();
      });
    });
  });
});
