import { redactUrls } from '../../lib/common/redact.js';

describe('redactUrls', () => {
  it.each([
    ['redis://user:s3cret@cache:6379/0', 'redis://user:***@cache:6379/0'],
    ['postgres://app:p%40ss@db/test', 'postgres://app:***@db/test'],
    ['amqp://token@broker', 'amqp://***@broker'],
    ['smtp://:only-password@mail:25', 'smtp://:***@mail:25'],
    ['mongodb+srv://u:p@cluster.example/db', 'mongodb+srv://u:***@cluster.example/db'],
  ])('hides the credentials of %s', (text, expected) => {
    expect(redactUrls(text)).toBe(expected);
  });

  it('hides every URL in a message and leaves the rest of the text alone', () => {
    expect(redactUrls('connect redis://a:b@h1 failed, then nats://tok@h2:4222 too')).toBe(
      'connect redis://a:***@h1 failed, then nats://***@h2:4222 too',
    );
  });

  it('leaves URLs without credentials, e-mail addresses and an @ in a path or query as they are', () => {
    for (const text of [
      'http://example.com/health',
      'mail ops@example.com',
      'https://example.com/users/@me',
      'https://example.com/?to=a@b.c',
      'no url here',
    ])
      expect(redactUrls(text)).toBe(text);
  });
});
