import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  isAllowedExternalUrl,
  isTrustedSender,
  originOf,
} from '../../../electron/main/security/origins.ts';

describe('originOf', () => {
  it('rebuilds origins for custom schemes', () => {
    expect(originOf('app://passdesk/index.html')).toBe('app://passdesk');
    expect(originOf('http://localhost:5173/x?y')).toBe('http://localhost:5173');
  });

  it('returns null for what has no host', () => {
    expect(originOf('file:///etc/passwd')).toBeNull();
    expect(originOf('not a url')).toBeNull();
    expect(originOf('')).toBeNull();
  });
});

describe('isTrustedSender', () => {
  const ours = { frameUrl: 'app://passdesk/index.html', isMainFrame: true, isOurWindow: true };

  it('trusts the top frame of our window at our origin', () => {
    expect(isTrustedSender(ours, [APP_ORIGIN])).toBe(true);
  });

  it.each([
    ['another origin', { ...ours, frameUrl: 'https://evil.example.net/' }],
    ['a look-alike host', { ...ours, frameUrl: 'app://passdesk.evil/index.html' }],
    ['file://', { ...ours, frameUrl: 'file:///app/index.html' }],
    ['a sub-frame', { ...ours, isMainFrame: false }],
    ['a window that is not ours', { ...ours, isOurWindow: false }],
    ['a frame that is gone', { ...ours, frameUrl: '' }],
  ])('refuses %s', (_name, sender) => {
    expect(isTrustedSender(sender, [APP_ORIGIN])).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  it('allows only https to listed hosts without credentials', () => {
    const hosts = ['docs.example.com'];
    expect(isAllowedExternalUrl('https://docs.example.com/a', hosts)).toBe(true);
    expect(isAllowedExternalUrl('https://DOCS.example.com/a', hosts)).toBe(true);
    expect(isAllowedExternalUrl('http://docs.example.com/a', hosts)).toBe(false);
    expect(isAllowedExternalUrl('https://docs.example.com.evil.net/', hosts)).toBe(false);
    expect(isAllowedExternalUrl('https://a:b@docs.example.com/', hosts)).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)', hosts)).toBe(false);
    expect(isAllowedExternalUrl('smb://docs.example.com/share', hosts)).toBe(false);
  });
});
