import { describe, expect, it } from 'vitest';
import { createLogger, redact, REDACTED } from '../../../shared/log/index.ts';

describe('redact', () => {
  it('hides the values of secret-looking keys at any depth', () => {
    const value = {
      userId: '11635-05',
      applicationPassword: 'Zx9/Qw8#',
      nested: [{ voicePortalPasscode: '135792', headers: { Authorization: 'Bearer abc' } }],
      adminToken: 'tok',
      apiKey: 'k',
    };
    expect(redact(value)).toEqual({
      userId: '11635-05',
      applicationPassword: REDACTED,
      nested: [{ voicePortalPasscode: REDACTED, headers: { Authorization: REDACTED } }],
      adminToken: REDACTED,
      apiKey: REDACTED,
    });
  });

  it('reduces errors to name, code and message', () => {
    const error = Object.assign(new Error('socket hang up'), {
      code: 'ECONNRESET',
      config: { data: '{"applicationPassword":"Zx9/Qw8#"}' },
    });
    expect(redact({ error })).toEqual({
      error: { name: 'Error', message: 'socket hang up', code: 'ECONNRESET' },
    });
  });

  it('caps size', () => {
    expect(redact('x'.repeat(5000))).toHaveLength(2001);
    expect(redact(Array.from({ length: 60 }, (_, i) => i))).toHaveLength(51);
  });
});

describe('createLogger', () => {
  it('writes JSON lines with redacted fields and respects the level', () => {
    const lines: string[] = [];
    const logger = createLogger({
      sink: (line) => lines.push(line),
      now: () => new Date('2026-11-27T10:00:00Z'),
      minLevel: 'info',
    }).child({ scope: 'test' });
    logger.debug('hidden');
    logger.info('saved', { password: 'Zx9/Qw8#', userId: 'u1' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      at: '2026-11-27T10:00:00.000Z',
      level: 'info',
      message: 'saved',
      scope: 'test',
      password: REDACTED,
      userId: 'u1',
    });
  });
});
