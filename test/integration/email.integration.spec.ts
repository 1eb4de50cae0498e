import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import nodemailer from 'nodemailer';
import request from 'supertest';
import { EMAIL_BODY, EMAIL_SUBJECT, WatchmanModule, WatchmanRunner, type WatchmanModuleOptions } from 'nestjs-watchman';
import { ADAPTERS, startHttpApp } from '../support/http-app.js';
import { closedPort, hungServer } from '../support/services.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { tempDir } from '../support/temp-dir.js';
import { withEnv } from '../support/with-env.js';

async function boot(options: WatchmanModuleOptions): Promise<{ app: INestApplication; runner: WatchmanRunner }> {
  const moduleRef = await Test.createTestingModule({
    imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), ...options })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return { app, runner: app.get(WatchmanRunner) };
}

const emailResult = async (runner: WatchmanRunner) => (await runner.run({ check: ['email'] })).checks[0].outcome;

describe('email check against a real SMTP server', () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeEach(async () => {
    sink = await startSmtpSink();
  });
  afterEach(() => sink.close());

  it('sends the test message through SMTP_URL with every field django-watchman sets', () =>
    withEnv({ SMTP_URL: sink.url }, async () => {
      const { app, runner } = await boot({
        enablePaidChecks: true,
        email: {
          sender: 'health@app.test',
          recipients: ['ops@app.test', 'oncall@app.test'],
          headers: { 'X-Env': 'ci' },
        },
      });
      try {
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
      } finally {
        await app.close();
      }
    }));

  it('uses defaults and WATCHMAN_EMAIL_* from the environment; configured headers may override X-Watchman', () =>
    withEnv({ SMTP_URL: sink.url, WATCHMAN_EMAIL_HEADERS: '{"x-watchman":"custom","X-Team":"core"}' }, async () => {
      const { app, runner } = await boot({ checks: ['email'] });
      try {
        expect(await emailResult(runner)).toMatchObject({ ok: true });
        const [mail] = sink.received;
        expect(mail.from).toBe('watchman@example.com');
        expect(mail.to).toEqual(['to@example.com']);
        expect(mail.headers.get('x-watchman')).toBe('custom');
        expect(mail.headers.get('x-team')).toBe('core');
      } finally {
        await app.close();
      }
    }));

  it("sends through the app's own nodemailer transporter", async () => {
    const transporter = nodemailer.createTransport({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      ignoreTLS: true,
    });
    const { app, runner } = await boot({
      checks: ['email'],
      email: { transport: transporter, recipients: ['app@app.test'] },
    });
    try {
      expect(await emailResult(runner)).toMatchObject({ ok: true });
      expect(sink.received[0].to).toEqual(['app@app.test']);
    } finally {
      await app.close();
      transporter.close();
    }
  });

  it('reports a rejected recipient with the server reply', async () => {
    const picky = await startSmtpSink({
      onRcptTo(address, _session, callback) {
        callback(
          address.address.endsWith('@blocked.test')
            ? Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })
            : undefined,
        );
      },
    });
    try {
      const { app, runner } = await boot({
        checks: ['email'],
        email: { transport: picky.url, recipients: ['x@blocked.test'] },
      });
      try {
        const outcome = await emailResult(runner);
        expect(outcome.ok).toBe(false);
        expect(outcome.error).toMatch(/550 Mailbox unavailable/);
        expect(picky.received).toHaveLength(0);
      } finally {
        await app.close();
      }
    } finally {
      await picky.close();
    }
  });

  it('reports a refused connection with the socket error', async () => {
    const { app, runner } = await boot({
      checks: ['email'],
      email: { transport: `smtp://127.0.0.1:${await closedPort()}` },
    });
    try {
      const outcome = await emailResult(runner);
      expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
    } finally {
      await app.close();
    }
  });

  it("gives up the SMTP socket at the email check's own timeout, not the global one", async () => {
    const hung = await hungServer();
    const { app, runner } = await boot({
      checks: ['email'],
      checkTimeout: 60_000,
      checkOptions: { email: { timeout: 300 } },
      email: { transport: `smtp://127.0.0.1:${hung.port}` },
    });
    try {
      expect(await emailResult(runner)).toMatchObject({ ok: false, error: 'timed out after 300 ms' });
      expect(hung.accepted()).toBe(1);
      // nodemailer's greeting timeout follows the check's 300 ms: the socket is closed long
      // before the 60 s global timeout (which the sockets followed before).
      for (let waited = 0; hung.open() > 0 && waited < 20_000; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      expect(hung.open()).toBe(0);
    } finally {
      await app.close();
      await hung.close();
    }
  });

  it('reports a missing transport clearly', async () => {
    const { app, runner } = await boot({ checks: ['email'] });
    try {
      expect(await emailResult(runner)).toMatchObject({
        ok: false,
        error: 'no email transport: set SMTP_URL or the email.transport option',
      });
    } finally {
      await app.close();
    }
  });

  it.each(ADAPTERS)('shows in the JSON route beside the other checks on %s', async (adapter) => {
    const app = await startHttpApp(
      {
        imports: [
          WatchmanModule.forRoot({
            mediaRoot: tempDir(),
            checks: ['email', 'storage'],
            email: { transport: sink.url },
          }),
        ],
      },
      adapter,
    );
    try {
      const res = await request(app.url).get('/watchman').expect(200);
      expect(res.body).toEqual({ email: { ok: true }, storage: { ok: true } });
    } finally {
      await app.close();
    }
  });
});
