import { describe, expect, it } from 'vitest';
import { LicenseId, LocationId, UserId } from '../../../shared/api/index.ts';

describe('the ids of the provisioning API', () => {
  it('takes a user id of 1 to 64 letters, digits and . _ - @, starting with a letter or digit', () => {
    for (const id of ['4845880834.310', '11635-05', 'a', 'x'.repeat(64), 'ab@c_d.e-f'])
      expect(UserId.safeParse(id).success, id).toBe(true);
    for (const id of ['', 'x'.repeat(65), '.5', '-5', '@a', 'a b', 'a/b', 'é'])
      expect(UserId.safeParse(id).success, id).toBe(false);
    expect(UserId.safeParse('x'.repeat(65)).error?.issues[0]?.message).toBe(
      'must be 1 to 64 letters, digits and . _ - @, starting with a letter or digit',
    );
  });

  it('takes a location or license id of 1 to 64 letters, digits and . _ -', () => {
    for (const schema of [LocationId, LicenseId]) {
      for (const id of ['loc-11635', '.hidden', '_', 'x'.repeat(64)])
        expect(schema.safeParse(id).success, id).toBe(true);
      for (const id of ['', 'x'.repeat(65), 'a@b', 'a b', 'a\nb'])
        expect(schema.safeParse(id).success, id).toBe(false);
    }
  });
});
