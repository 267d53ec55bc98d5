import { z } from 'zod';
import { RULE_IDS } from '../rules/check.ts';
import { RuleSets, SecretKind } from '../rules/rule-set.ts';

/** The provisioning API's version prefix. */
export const API_PREFIX = '/api/v1';
export const MAX_USERS_PER_REQUEST = 1000;
export const MAX_PAGE_SIZE = 5000;

/** Every error answer has this one shape. */
export const ApiError = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

/**
 * `4845880834.310`, `11635-05`, `11635-sanity-03`: 1 to 64 letters, digits and . _ - @,
 * starting with a letter or digit. Each id is one regular expression, length included: a page
 * holds thousands of users, and each check zod runs costs about as much as the test itself.
 */
export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/u;
export const UserId = z
  .string()
  .regex(
    USER_ID_PATTERN,
    'must be 1 to 64 letters, digits and . _ - @, starting with a letter or digit',
  );
/** 1 to 64 letters, digits and . _ - (one check, as `UserId`). */
export const PLAIN_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/u;
const PlainId = z.string().regex(PLAIN_ID_PATTERN, 'must be 1 to 64 letters, digits and . _ -');
export const LocationId = PlainId;
export const LicenseId = PlainId;
/** zod's own email pattern, named so that `users-page-check.ts` tests the very same. */
export const EMAIL_PATTERN = z.regexes.email;
export const EMAIL_MAX_LENGTH = 254;
export const Email = z.email({ pattern: EMAIL_PATTERN }).max(EMAIL_MAX_LENGTH);

/**
 * The version of this API contract, `major.minor`. A client works with any backend of the same
 * major version: a minor version only adds (optional fields, new routes). A backend refuses a
 * request field it does not know (its bodies are strict), so a client sends a field added in a
 * minor version only to a backend of that version or later (see `apiHas`).
 *
 * 1.1: password resets may mark the secrets temporary (`temporary`), and say per user whether
 * they did; the self-service session says which of the user's secrets are temporary; an audit
 * entry may name the verified admin token.
 */
export const API_VERSION = '1.1';

/** The API version that first has each optional capability a client may use. */
export const API_SINCE = {
  /** `temporary` in a password reset's body and results. */
  temporarySecrets: '1.1',
} as const;

const versionParts = (version: string): [number, number] | null => {
  const match = /^(\d+)\.(\d+)$/u.exec(version);
  return match === null ? null : [Number(match[1]), Number(match[2])];
};

/**
 * Whether a backend that speaks `apiVersion` has `capability`: the same major version as this
 * contract, and at least the minor version that added it. False for null (not known yet).
 */
export function apiHas(apiVersion: string | null, capability: keyof typeof API_SINCE): boolean {
  const have = apiVersion === null ? null : versionParts(apiVersion);
  const need = versionParts(API_SINCE[capability]);
  if (have === null || need === null) return false;
  return have[0] === need[0] && have[1] >= need[1];
}

export const Health = z.strictObject({
  status: z.literal('ok'),
  /** The backend software's own version. */
  version: z.string(),
  /** The API contract it implements (`API_VERSION`). */
  apiVersion: z.string().regex(/^\d+\.\d+$/u, 'must be major.minor, e.g. 1.0'),
});

export const Location = z.strictObject({
  id: LocationId,
  name: z.string(),
  userCount: z.int().min(0),
});
export type Location = z.infer<typeof Location>;

export const User = z.strictObject({
  id: UserId,
  firstName: z.string(),
  lastName: z.string(),
  phoneNumber: z.string().optional(),
  extension: z.string().optional(),
  email: Email.nullable(),
  locationId: LocationId,
  intercepted: z.boolean(),
  licenses: z.array(LicenseId),
});
export type User = z.infer<typeof User>;

export const UsersQuery = z.strictObject({
  locationId: LocationId.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(500),
});
export type UsersQuery = z.infer<typeof UsersQuery>;

export const UsersPage = z.strictObject({
  users: z.array(User),
  nextCursor: z.string().nullable(),
  total: z.int().min(0),
});
export type UsersPage = z.infer<typeof UsersPage>;

export const UpdateUserBody = z.strictObject({ email: Email.nullable() });

const userIds = z
  .array(UserId)
  .min(1)
  .max(MAX_USERS_PER_REQUEST)
  .refine((ids) => new Set(ids).size === ids.length, 'lists a user more than once');

/** A secret as typed: any string up to 256 characters; the rules judge it, nothing trims it. */
const Secret = z.string().min(1).max(256);

export const PasswordResetBody = z
  .strictObject({
    userIds,
    applicationPassword: Secret.optional(),
    voicePortalPasscode: Secret.optional(),
    /**
     * API 1.1: the secrets set are temporary — the user is to replace them with their own. A
     * backend of API 1.0 refuses the field: send it only to 1.1 or later (`apiHas`).
     */
    temporary: z
      .boolean()
      .default(false)
      .describe(
        'API 1.1: mark the secrets set as temporary (the user must choose their own). Backends of API 1.0 refuse this field.',
      ),
  })
  .refine(
    (body) => body.applicationPassword !== undefined || body.voicePortalPasscode !== undefined,
    {
      error: 'give applicationPassword, voicePortalPasscode or both',
      path: ['applicationPassword'],
    },
  );
export type PasswordResetBody = z.infer<typeof PasswordResetBody>;

export const RuleIdSchema = z.enum(RULE_IDS);

export const PasswordResetResult = z.strictObject({
  userId: UserId,
  outcome: z.enum(['changed', 'rejected', 'not-found']),
  rejected: z
    .array(z.strictObject({ secret: SecretKind, ruleIds: z.array(RuleIdSchema) }))
    .optional(),
  /**
   * API 1.1: `true` on `changed` when the request asked for temporary secrets and they were set
   * so. Absent otherwise — the answer to a request without `temporary` is exactly API 1.0's,
   * which a 1.0 client (parsing strictly) can read — and absent from 1.0 backends.
   */
  temporary: z
    .boolean()
    .optional()
    .describe(
      'API 1.1: true, with outcome "changed", when the request asked for temporary secrets and they were set so. Absent otherwise (the answer to a request without "temporary" is the same as in API 1.0), and from API 1.0 backends.',
    ),
});
export type PasswordResetResult = z.infer<typeof PasswordResetResult>;
export const PasswordResetResponse = z.strictObject({ results: z.array(PasswordResetResult) });
export type PasswordResetResponse = z.infer<typeof PasswordResetResponse>;

export const RecoveryEmailBody = z.strictObject({ userIds });
export const RecoveryEmailResult = z.strictObject({
  userId: UserId,
  /** `send-failed`: stored in the outbox, but the SMTP server did not take it. */
  outcome: z.enum(['sent', 'no-email', 'not-found', 'send-failed']),
});
export type RecoveryEmailResult = z.infer<typeof RecoveryEmailResult>;
export const RecoveryEmailResponse = z.strictObject({ results: z.array(RecoveryEmailResult) });
export type RecoveryEmailResponse = z.infer<typeof RecoveryEmailResponse>;

export const InterceptBody = z.strictObject({ userIds, intercepted: z.boolean() });
export const UpdateResult = z.strictObject({
  userId: UserId,
  outcome: z.enum(['updated', 'unchanged', 'not-found', 'no-license-left', 'unknown-license']),
  licenseId: LicenseId.optional(),
});
export type UpdateResult = z.infer<typeof UpdateResult>;
export const UpdateResponse = z.strictObject({ results: z.array(UpdateResult) });
export type UpdateResponse = z.infer<typeof UpdateResponse>;

export const License = z.strictObject({
  id: LicenseId,
  name: z.string(),
  total: z.int().min(0),
  assigned: z.int().min(0),
});
export type License = z.infer<typeof License>;

export const LicenseAssignmentBody = z
  .strictObject({
    userIds,
    add: z.array(LicenseId).max(20).default([]),
    remove: z.array(LicenseId).max(20).default([]),
  })
  .refine((body) => body.add.length + body.remove.length > 0, {
    error: 'give at least one license to add or remove',
    path: ['add'],
  })
  .refine((body) => !body.add.some((id) => body.remove.includes(id)), {
    error: 'a license cannot be both added and removed',
    path: ['remove'],
  });

export const CursorQuery = z.strictObject({ cursor: z.string().max(200).optional() });

export const OutboxSummary = z.strictObject({
  id: z.int().min(1),
  /**
   * `change-confirmation`: a user is told that a secret of theirs changed — by them with a
   * recovery link, or (API 1.1) by an administrator's reset. Never holds a secret.
   */
  kind: z.enum(['recovery-link', 'change-confirmation']),
  to: z.string(),
  subject: z.string(),
  sentAt: z.iso.datetime(),
  /** `sending`: stored, and being handed to the SMTP server. */
  delivery: z.enum(['outbox-only', 'sending', 'delivered', 'failed']),
});
export type OutboxSummary = z.infer<typeof OutboxSummary>;
export const OutboxPage = z.strictObject({
  messages: z.array(OutboxSummary),
  nextCursor: z.string().nullable(),
});
export const OutboxMessage = OutboxSummary.extend({
  from: z.string(),
  headers: z.record(z.string(), z.string()),
  text: z.string(),
  html: z.string(),
  raw: z.string(),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;

export const AuditEntry = z.strictObject({
  at: z.iso.datetime(),
  /** Who the request said it was for (the operator PassDesk names in X-PassDesk-Actor). */
  actor: z.string(),
  /**
   * The admin token's name, as the backend verified it (named admin tokens); absent for the end
   * user's own changes, and from backends of API 1.0 that have none.
   */
  tokenName: z.string().optional(),
  action: z.string(),
  userId: z.string(),
  outcome: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditPage = z.strictObject({
  entries: z.array(AuditEntry),
  nextCursor: z.string().nullable(),
});

/** A request that completed under an Idempotency-Key: its route and the answer it got. */
export const IdempotencyRecord = z.strictObject({
  route: z.string(),
  status: z.int(),
  response: z.unknown(),
});
export type IdempotencyRecord = z.infer<typeof IdempotencyRecord>;
export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/u, '1 to 200 printable ASCII characters');

// ── The end user's self-service API (authorised by the recovery token, not the admin token).

export const SelfServiceSession = z.strictObject({
  displayName: z.string(),
  expiresAt: z.iso.datetime(),
  /** The server's clock when it answered, so the page's countdown does not trust the PC's. */
  serverTime: z.iso.datetime(),
  rules: RuleSets,
  passwordChanged: z.boolean(),
  passcodeGenerated: z.boolean(),
  /**
   * API 1.1: which of the user's secrets are temporary now (set by an administrator as
   * temporary, or a passcode generated here), to be replaced by their own. Absent from 1.0
   * backends.
   */
  temporary: z
    .strictObject({ applicationPassword: z.boolean(), voicePortalPasscode: z.boolean() })
    .optional()
    .describe(
      "API 1.1: which of the user's secrets are temporary now, to be replaced by their own. Absent from API 1.0 backends.",
    ),
});
export type SelfServiceSession = z.infer<typeof SelfServiceSession>;

export const SelfServicePasswordBody = z.strictObject({
  password: Secret,
  confirmation: z.string().max(256),
});
export const SelfServicePasswordResult = z.strictObject({
  outcome: z.enum(['changed', 'rejected']),
  ruleIds: z.array(RuleIdSchema),
});
export const SelfServicePasscodeResult = z.strictObject({
  passcode: z.string(),
  temporary: z.literal(true),
});
