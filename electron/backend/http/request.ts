import type { Context } from 'hono';
import type { z } from 'zod';
import { describeZodError } from '../../../shared/ipc/result.ts';
import { ApiFailure } from '../errors.ts';

/** A short, readable list of what is wrong, naming each field; never the values sent. */
export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

export function invalid(where: string, error: z.ZodError): ApiFailure {
  return new ApiFailure(
    400,
    'invalid-request',
    `${where}: ${describeZodError(error)}`,
    issuesOf(error),
  );
}

/** Parses a JSON body with `schema`: 400 naming the field for anything wrong. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json(\s*;|$)/iu.test(type)) {
    throw new ApiFailure(
      400,
      'invalid-request',
      'body: send JSON with Content-Type: application/json',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer()));
  } catch {
    throw new ApiFailure(400, 'invalid-request', 'body: not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw invalid('body', parsed.error);
  return parsed.data;
}

/** Parses the query string with `schema` (unknown parameters are refused). */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw invalid('query', parsed.error);
  return parsed.data;
}

/** Parses the path's parameters with `schema`: 400 naming the parameter for anything wrong. */
export function readParams<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.param());
  if (!parsed.success) throw invalid('path', parsed.error);
  return parsed.data;
}

/** `Authorization: Bearer <token>`, or null. */
export function bearerToken(c: Context): string | null {
  const match = /^Bearer ([^\s]+)$/u.exec(c.req.header('authorization') ?? '');
  return match?.[1] ?? null;
}
