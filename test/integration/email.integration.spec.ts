import nodemailer from 'nodemailer';
import request from 'supertest';
import { EMAIL_BODY, EMAIL_SUBJECT, type WatchmanRunner } from 'nestjs-watchman';
import { ADAPTERS, using } from '../support/http-app.js';
import { closedPort, hungServer } from '../support/services.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { until } from '../support/until.js';
import { watchmanApp } from '../support/watchman-app.js';
import { withEnv } from '../support/with-env.js';

const emailResult = async (runner: WatchmanRunner) => (await runner.run({ check: ['email'] })).checks[0].outcome;

describe('email check against a real SMTP server', () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeEach(async () => {
    sink = await startSmtpSink();
  });
  afterEach(() => sink.close());

  it('sends the test message through SMTP_URL with every field django-watchman sets', () =>
    withEnv({ SMTP_URL: sink.url }, async () => {
      const email = {
        sender: 'health@app.test',
        recipients: ['ops@app.test', 'oncall@app.test'],
        headers: { 'X-Env': 'ci' },
      };
      await using(watchmanApp({ enablePaidChecks: true, email }).boot(), async ({ runner }) => {
        expect(await emailResult(runner)).toMatchObject({ ok: true });
        expect(sink.received).toHaveLength(1);
        const [mail] = sink.received;
        expect(mail.from).toBe('health@app.test');
        expect(mail.to).toEqual(['ops@app.test', 'oncall@app.test']);
        expect(mail.headers.get('subject')).toBe(EMAIL_SUBJECT);
        expect(mail.headers.get('subject')).toBe('nestjs-watchman email check');
        expect(mail.body).toBe(EMAIL_BODY);
        expect(mail.headers.get('x-watchman')).toBe('true');
        expect(mail.headers.get('x-env')).toBe('ci');
      });
    }));

  it('uses defaults and WATCHMAN_EMAIL_* from the environment; configured headers may override X-Watchman', () =>
    withEnv({ SMTP_URL: sink.url, WATCHMAN_EMAIL_HEADERS: '{"x-watchman":"custom","X-Team":"core"}' }, async () => {
      await using(watchmanApp({ checks: ['email'] }).boot(), async ({ runner }) => {
        expect(await emailResult(runner)).toMatchObject({ ok: true });
        const [mail] = sink.received;
        expect(mail.from).toBe('watchman@example.com');
        expect(mail.to).toEqual(['to@example.com']);
        expect(mail.headers.get('x-watchman')).toBe('custom');
        expect(mail.headers.get('x-team')).toBe('core');
      });
    }));

  it("sends through the app's own nodemailer transporter", async () => {
    const transporter = nodemailer.createTransport({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      ignoreTLS: true,
    });
    const setup = watchmanApp({ checks: ['email'], email: { transport: transporter, recipients: ['app@app.test'] } });
    await using(setup.afterClose(() => transporter.close()).boot(), async ({ runner }) => {
      expect(await emailResult(runner)).toMatchObject({ ok: true });
      expect(sink.received[0].to).toEqual(['app@app.test']);
    });
  });

  it('reports a rejected recipient with the server reply', async () => {
    const pickySink = startSmtpSink({
      onRcptTo(address, _session, callback) {
        callback(
          address.address.endsWith('@blocked.test')
            ? Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })
            : undefined,
        );
      },
    });
    await using(pickySink, async (picky) => {
      const email = { transport: picky.url, recipients: ['x@blocked.test'] };
      await using(watchmanApp({ checks: ['email'], email }).boot(), async ({ runner }) => {
        const outcome = await emailResult(runner);
        expect(outcome.ok).toBe(false);
        expect(outcome.error).toMatch(/550 Mailbox unavailable/);
        expect(picky.received).toHaveLength(0);
      });
    });
  });

  it('reports a refused connection with the socket error', async () => {
    const email = { transport: `smtp://127.0.0.1:${await closedPort()}` };
    await using(watchmanApp({ checks: ['email'], email }).boot(), async ({ runner }) => {
      const outcome = await emailResult(runner);
      expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
    });
  });

  it("gives up the SMTP socket at the email check's own timeout, not the global one", async () => {
    await using(hungServer(), async (hung) => {
      const setup = watchmanApp({
        checks: ['email'],
        checkTimeout: 60_000,
        checkOptions: { email: { timeout: 300 } },
        email: { transport: `smtp://127.0.0.1:${hung.port}` },
      });
      await using(setup.boot(), async ({ runner }) => {
        expect(await emailResult(runner)).toMatchObject({ ok: false, error: 'timed out after 300 ms' });
        expect(hung.accepted()).toBe(1);
        // nodemailer's greeting timeout follows the check's 300 ms: the socket is closed long
        // before the 60 s global timeout (which the sockets followed before).
        expect(await until(hung.open, (open) => open === 0, { limitMs: 20_000, everyMs: 50 })).toBe(0);
      });
    });
  });

  it('reports a missing transport clearly', async () => {
    await using(watchmanApp({ checks: ['email'] }).boot(), async ({ runner }) => {
      expect(await emailResult(runner)).toMatchObject({
        ok: false,
        error: 'no email transport: set SMTP_URL or the email.transport option',
      });
    });
  });

  it.each(ADAPTERS)('shows in the JSON route beside the other checks on %s', async (adapter) => {
    const setup = watchmanApp({ checks: ['email', 'storage'], email: { transport: sink.url } });
    await using(setup.start(adapter), async (app) => {
      const res = await request(app.url).get('/watchman').expect(200);
      expect(res.body).toEqual({ email: { ok: true }, storage: { ok: true } });
    });
  });
});
