/** Keys whose values are secrets wherever they appear. */
const SECRET_KEY =
  /pass(word|code|phrase)?|secret|token|authori[sz]ation|api[-_]?key|cookie|credential/iu;

export const REDACTED = '[redacted]';

/**
 * A copy of `value` safe to log: the values of secret-looking keys are replaced, errors are
 * reduced to name, code and message (never a request body or its headers), and depth, array
 * length and string length are capped.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') return value.length > 2000 ? `${value.slice(0, 2000)}…` : value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return typeof value;
  if (depth > 6) return '[deep]';
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: value.message,
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    };
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, 50).map((item) => redact(item, depth + 1));
    return value.length > 50 ? [...items, `… ${value.length - 50} more`] : items;
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redact(child, depth + 1);
  }
  return out;
}
