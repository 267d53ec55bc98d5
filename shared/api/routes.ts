import { z } from 'zod';
import { RuleSets } from '../rules/rule-set.ts';
import {
  AuditPage,
  CursorQuery,
  Health,
  IdempotencyKey,
  IdempotencyRecord,
  InterceptBody,
  License,
  LicenseAssignmentBody,
  Location,
  OutboxMessage,
  OutboxPage,
  PasswordResetBody,
  PasswordResetResponse,
  RecoveryEmailBody,
  RecoveryEmailResponse,
  SelfServicePasscodeResult,
  SelfServicePasswordBody,
  SelfServicePasswordResult,
  SelfServiceSession,
  UpdateResponse,
  UpdateUserBody,
  User,
  UserId,
  UsersPage,
  UsersQuery,
} from './schemas.ts';
import { isUsersPage } from './users-page-check.ts';

/**
 * How long a backend keeps the answer stored under an Idempotency-Key: at least this long, a
 * request under the same key replays it and `GET /idempotency-keys/{key}` returns it. After
 * that, a 404 from the lookup no longer proves the request never ran.
 */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

export interface RouteSpec {
  method: 'get' | 'post' | 'patch';
  /** Below `/api/v1`, OpenAPI style (`/users/{id}`). */
  path: string;
  summary: string;
  /** `admin`: the admin bearer token; `recovery`: a recovery link's token; `none`: open. */
  auth: 'admin' | 'recovery' | 'none';
  /** Accepts an `Idempotency-Key` header. */
  idempotent?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
  /**
   * A quicker test of an answer than parsing it with `response`, for answers read by the
   * thousand: true only for a value `response` accepts as it is. What it does not pass,
   * `response` parses (and says what is wrong).
   */
  accepts?: (value: unknown) => boolean;
}

/** The provisioning HTTP API: what any backend PassDesk talks to must implement. */
export const apiRoutes = {
  health: {
    method: 'get',
    path: '/health',
    summary: 'Liveness and version',
    auth: 'none',
    response: Health,
  },
  rules: {
    method: 'get',
    path: '/rules',
    summary: 'The password and passcode rules in effect',
    auth: 'admin',
    response: RuleSets,
  },
  locations: {
    method: 'get',
    path: '/locations',
    summary: 'Locations with their user counts',
    auth: 'admin',
    response: z.array(Location),
  },
  users: {
    method: 'get',
    path: '/users',
    summary: 'One page of users, in a stable order',
    auth: 'admin',
    query: UsersQuery,
    response: UsersPage,
    accepts: isUsersPage,
  },
  updateUser: {
    method: 'patch',
    path: '/users/{id}',
    summary: "Set or clear a user's email address",
    auth: 'admin',
    idempotent: true,
    params: z.strictObject({ id: UserId }),
    body: UpdateUserBody,
    response: User,
  },
  passwordResets: {
    method: 'post',
    path: '/password-resets',
    summary: 'Set the Application Password and/or Voice Portal Passcode of up to 1,000 users',
    auth: 'admin',
    idempotent: true,
    body: PasswordResetBody,
    response: PasswordResetResponse,
  },
  recoveryEmails: {
    method: 'post',
    path: '/recovery-emails',
    summary: 'Email password-recovery links to up to 1,000 users',
    auth: 'admin',
    idempotent: true,
    body: RecoveryEmailBody,
    response: RecoveryEmailResponse,
  },
  intercepts: {
    method: 'post',
    path: '/intercepts',
    summary: 'Turn call intercept on or off for up to 1,000 users',
    auth: 'admin',
    idempotent: true,
    body: InterceptBody,
    response: UpdateResponse,
  },
  licenses: {
    method: 'get',
    path: '/licenses',
    summary: 'Licenses with their totals and assignments',
    auth: 'admin',
    response: z.array(License),
  },
  licenseAssignments: {
    method: 'post',
    path: '/license-assignments',
    summary: 'Add and remove licenses for up to 1,000 users',
    auth: 'admin',
    idempotent: true,
    body: LicenseAssignmentBody,
    response: UpdateResponse,
  },
  outbox: {
    method: 'get',
    path: '/outbox',
    summary: 'Sent messages, newest first',
    auth: 'admin',
    query: CursorQuery,
    response: OutboxPage,
  },
  outboxMessage: {
    method: 'get',
    path: '/outbox/{id}',
    summary: 'One sent message with its headers, text, HTML and raw .eml',
    auth: 'admin',
    params: z.strictObject({ id: z.coerce.number().int().min(1) }),
    response: OutboxMessage,
  },
  audit: {
    method: 'get',
    path: '/audit',
    summary: 'Audit records, newest first; never a secret',
    auth: 'admin',
    query: CursorQuery,
    response: AuditPage,
  },
  idempotencyRecord: {
    method: 'get',
    path: '/idempotency-keys/{key}',
    summary:
      'The stored answer of a request that completed under this key (409: it is running now). ' +
      'Lets a client that lost the answer learn it without the body. A 404 with the error code ' +
      '"idempotency-key-retired" means nothing was done under the key and nothing will be: the ' +
      'lookup retires the key, and a copy of the request that arrives later is refused (409, ' +
      '"idempotency-key-retired"). Answers and retired keys are kept for at least 24 hours.',
    auth: 'admin',
    params: z.strictObject({ key: IdempotencyKey }),
    response: IdempotencyRecord,
  },
  selfServiceSession: {
    method: 'get',
    path: '/self-service/session',
    summary: "The recovery link's session: who, until when, which rules, what is done",
    auth: 'recovery',
    response: SelfServiceSession,
  },
  selfServicePassword: {
    method: 'post',
    path: '/self-service/password',
    summary: 'The end user sets a new Application Password (once per link)',
    auth: 'recovery',
    body: SelfServicePasswordBody,
    response: SelfServicePasswordResult,
  },
  selfServicePasscode: {
    method: 'post',
    path: '/self-service/passcode',
    summary: 'The end user gets a temporary Voice Portal Passcode (once per link)',
    auth: 'recovery',
    response: SelfServicePasscodeResult,
  },
} as const satisfies Record<string, RouteSpec>;

export type ApiRoutes = typeof apiRoutes;
export type RouteName = keyof ApiRoutes;
export type ResponseOf<R extends RouteName> = z.infer<ApiRoutes[R]['response']>;
export type BodyOf<R extends RouteName> = ApiRoutes[R] extends { body: z.ZodType }
  ? z.input<ApiRoutes[R]['body']>
  : never;
