import type { RuleId, RuleSet } from '../../../shared/rules/index.ts';

/**
 * A deliberately naive second reading of the rules, written without the engine's helpers, so
 * property tests can compare the two on any string.
 */
export function oracleFailures(
  value: string,
  rules: RuleSet,
  previous?: readonly string[],
): RuleId[] {
  const cps = [...value];
  const isDigit = (c: string) => /^[0-9]$/.test(c);
  const isUpper = (c: string) => /^[A-Z]$/.test(c);
  const isLower = (c: string) => /^[a-z]$/.test(c);
  const isSpecial = (c: string) => c.length > 0 && [...rules.specialCharacters].includes(c);
  const allowedChar = (c: string) =>
    (rules.allowed.digits && isDigit(c)) ||
    (rules.allowed.uppercase && isUpper(c)) ||
    (rules.allowed.lowercase && isLower(c)) ||
    (rules.allowed.special && isSpecial(c));
  const count = (test: (c: string) => boolean) => cps.filter(test).length;

  const rank = (c: string): [string, number] | null => {
    if (isDigit(c)) return ['d', Number(c)];
    if (isUpper(c) || isLower(c)) return ['l', c.toLowerCase().charCodeAt(0) - 97];
    return null;
  };
  const hasRun = (length: number, step: number) => {
    for (let start = 0; start + length <= cps.length; start += 1) {
      let run = true;
      for (let k = start + 1; k < start + length; k += 1) {
        const a = rank(cps[k - 1] ?? '');
        const b = rank(cps[k] ?? '');
        if (a === null || b === null) run = false;
        else if (a[0] !== b[0] || b[1] - a[1] !== step) run = false;
      }
      if (run && rank(cps[start] ?? '') !== null) return true;
    }
    return false;
  };
  const hasRepeat = (length: number) => {
    for (let start = 0; start + length <= cps.length; start += 1) {
      if (cps.slice(start, start + length).every((c) => c === cps[start])) return true;
    }
    return false;
  };

  const failed: RuleId[] = [];
  if (cps.length < rules.minLength) failed.push('min-length');
  if (cps.length > rules.maxLength) failed.push('max-length');
  if (!cps.every(allowedChar)) failed.push('allowed-characters');
  if (rules.minCount.digits > 0 && count(isDigit) < rules.minCount.digits)
    failed.push('needs-digit');
  if (rules.minCount.uppercase > 0 && count(isUpper) < rules.minCount.uppercase)
    failed.push('needs-uppercase');
  if (rules.minCount.lowercase > 0 && count(isLower) < rules.minCount.lowercase)
    failed.push('needs-lowercase');
  if (rules.minCount.special > 0 && count(isSpecial) < rules.minCount.special)
    failed.push('needs-special');
  if (rules.maxRepeat !== null && hasRepeat(rules.maxRepeat + 1)) failed.push('max-repeat');
  const asc = rules.maxAscendingSequence;
  const desc = rules.maxDescendingSequence;
  if ((asc !== null && hasRun(asc + 1, 1)) || (desc !== null && hasRun(desc + 1, -1))) {
    failed.push('max-sequence');
  }
  if (rules.historyCount > 0 && previous?.includes(value) === true) failed.push('not-previous');
  return failed;
}
