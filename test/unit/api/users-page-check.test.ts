import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { User, UsersPage } from '../../../shared/api/index.ts';
import { isUsersPage } from '../../../shared/api/users-page-check.ts';

/** Anything a field could hold instead of what it should. */
const stray = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);

/** Mostly what the field should be, sometimes something else. */
const mostly = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 24, arbitrary: good }, { weight: 1, arbitrary: stray });

const plainId = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/u) },
  { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(65), 'a b', 'a@b', 'é', 'a\nb') },
);
const userId = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/u) },
  { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(65), '.5', '-5', '@a', 'a/b', 'é') },
);
const email = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.stringMatching(/^[a-z0-9._+-]{1,12}$/u), fc.constantFrom('example.com', 'a.bc'))
      .map(([local, domain]) => `${local}@${domain}`),
  },
  // Addresses the RFCs allow, most of which zod's pattern does not.
  { weight: 1, arbitrary: fc.emailAddress() },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      `${'a'.repeat(240)}@example.com`,
      `${'a'.repeat(250)}@example.com`,
      'ana@localhost',
      'ana@@example.com',
      '',
      ' ana@example.com',
    ),
  },
);

/** Mostly null, sometimes a value. */
const rarely = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 15, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value });

/**
 * Mostly `fields` as they are; sometimes without one of them, sometimes with one more (a field
 * the contract does not have).
 */
const withKeysChanged = <T extends Record<string, unknown>>(
  fields: fc.Arbitrary<T>,
  names: readonly (keyof T & string)[],
  extras: readonly string[],
) =>
  fc
    .tuple(
      fields,
      rarely(fc.constantFrom(...names)),
      rarely(fc.dictionary(fc.constantFrom(...extras), stray, { minKeys: 1, maxKeys: 1 })),
    )
    .map(([value, missing, extra]) => {
      const changed: Record<string, unknown> = { ...value, ...extra };
      return missing === null
        ? changed
        : Object.fromEntries(Object.entries(changed).filter(([key]) => key !== missing));
    });

const USER_FIELDS = Object.keys(User.shape) as (keyof typeof User.shape)[];

/** A user as a backend might send it: any field may be missing, wrong, or joined by another. */
const user = withKeysChanged(
  fc.record({
    id: mostly(userId),
    firstName: mostly(fc.string({ maxLength: 12 })),
    lastName: mostly(fc.string({ maxLength: 12 })),
    phoneNumber: mostly(fc.option(fc.string({ maxLength: 12 }), { nil: undefined })),
    extension: mostly(fc.option(fc.string({ maxLength: 6 }), { nil: undefined })),
    email: mostly(email),
    locationId: mostly(plainId),
    intercepted: mostly(fc.boolean()),
    licenses: mostly(fc.array(mostly(plainId), { maxLength: 3 })),
  }),
  USER_FIELDS,
  ['applicationPassword', 'voicePortalPasscode', 'ID', 'email ', 'token'],
);

const page = withKeysChanged(
  fc.record({
    users: mostly(fc.array(user, { maxLength: 4 })),
    nextCursor: mostly(fc.option(fc.string({ maxLength: 10 }))),
    total: mostly(fc.oneof(fc.nat(), fc.integer({ min: -3, max: -1 }), fc.double())),
  }),
  Object.keys(UsersPage.shape) as (keyof typeof UsersPage.shape)[],
  ['secret', 'next'],
);

describe('the quick check of a page of users', () => {
  it('passes exactly what the UsersPage schema accepts, as it came and as JSON', () => {
    let passed = 0;
    fc.assert(
      fc.property(page, (value) => {
        for (const candidate of [value, JSON.parse(JSON.stringify(value)) as unknown]) {
          const parsed = UsersPage.safeParse(candidate);
          expect(isUsersPage(candidate)).toBe(parsed.success);
          if (!parsed.success) continue;
          // Taken as it is, it is what the schema would have made of it.
          expect(parsed.data).toStrictEqual(candidate);
          passed += 1;
        }
      }),
      { numRuns: 3000 },
    );
    // The generator makes both kinds, or the comparison says little.
    expect(passed).toBeGreaterThan(300);
  });

  it('refuses a user with a field the contract does not have, such as an echoed secret', () => {
    const ana = {
      id: '11635-01',
      firstName: 'Ana',
      lastName: 'Silva',
      email: 'ana.silva@example.com',
      locationId: 'loc-11635',
      intercepted: false,
      licenses: ['uc-one'],
    };
    const of = (users: unknown[]) => ({ users, nextCursor: null, total: users.length });
    expect(isUsersPage(of([ana, { ...ana, id: '11635-02' }]))).toBe(true);
    expect(isUsersPage(of([ana, { ...ana, applicationPassword: 'Tr0ub4dor&3' }]))).toBe(false);
    expect(isUsersPage(of([ana, { ...ana, email: 'ana@localhost' }]))).toBe(false);
    // The longest email the contract takes, and one character more.
    const longest = `${'a'.repeat(254 - '@example.com'.length)}@example.com`;
    expect(isUsersPage(of([{ ...ana, email: longest }]))).toBe(true);
    expect(isUsersPage(of([{ ...ana, email: `a${longest}` }]))).toBe(false);
    expect(UsersPage.safeParse(of([{ ...ana, email: `a${longest}` }])).success).toBe(false);
    expect(isUsersPage(of([{ ...ana, phoneNumber: null }]))).toBe(false);
    expect(isUsersPage(of([{ ...ana, licenses: undefined }]))).toBe(false);
    expect(isUsersPage(of([{ ...ana, licenses: ['uc one'] }]))).toBe(false);
    expect(isUsersPage({ ...of([ana]), total: 1.5 })).toBe(false);
    // Inherited fields are for the schema to judge: the quick check never passes them.
    expect(
      isUsersPage(of([Object.assign(Object.create({ extension: '101' }) as object, ana)])),
    ).toBe(false);
  });
});
