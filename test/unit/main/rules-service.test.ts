import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileRulesCache } from '../../../electron/main/services/rules-cache.ts';
import { createRulesService } from '../../../electron/main/services/rules-service.ts';
import { DEFAULT_RULES, type RuleSets } from '../../../shared/rules/index.ts';

const STRICTER: RuleSets = {
  ...DEFAULT_RULES,
  applicationPassword: { ...DEFAULT_RULES.applicationPassword, minLength: 12 },
};
const cacheFile = () =>
  path.join(mkdtempSync(path.join(tmpdir(), 'passdesk-rules-')), 'rules.json');

describe('the rules service', () => {
  it('starts with the defaults, and tells listeners only of real changes', () => {
    const rules = createRulesService();
    expect(rules.current()).toEqual(DEFAULT_RULES);
    const heard: RuleSets[] = [];
    rules.onChange((next) => heard.push(next));
    rules.replace(DEFAULT_RULES);
    rules.replace(STRICTER);
    expect(heard).toEqual([STRICTER]);
  });

  it('keeps the last rules fetched for the next start, per backend', () => {
    const file = cacheFile();
    createRulesService({ cache: fileRulesCache(file) }).replace(STRICTER);
    expect(createRulesService({ cache: fileRulesCache(file) }).current()).toEqual(STRICTER);
    const other = createRulesService({
      cache: fileRulesCache(file),
      backend: 'https://other.example.com',
    });
    expect(other.current()).toEqual(DEFAULT_RULES);
    // Each backend keeps its own; the first release's one-backend file is still read.
    other.replace(DEFAULT_RULES);
    expect(createRulesService({ cache: fileRulesCache(file) }).current()).toEqual(STRICTER);
    const old = cacheFile();
    writeFileSync(old, JSON.stringify({ backend: 'built-in', rules: STRICTER }));
    expect(createRulesService({ cache: fileRulesCache(old) }).current()).toEqual(STRICTER);
  });

  it('falls back to the defaults when the cache is missing, unreadable or invalid', () => {
    const file = cacheFile();
    expect(createRulesService({ cache: fileRulesCache(file) }).current()).toEqual(DEFAULT_RULES);
    writeFileSync(file, '{ not json');
    expect(createRulesService({ cache: fileRulesCache(file) }).current()).toEqual(DEFAULT_RULES);
    writeFileSync(
      file,
      JSON.stringify({ backend: 'built-in', rules: { applicationPassword: { minLength: -1 } } }),
    );
    expect(createRulesService({ cache: fileRulesCache(file) }).current()).toEqual(DEFAULT_RULES);
    // Saving over a bad file repairs it.
    createRulesService({ cache: fileRulesCache(file) }).replace(STRICTER);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      backends: { 'built-in': STRICTER },
    });
  });

  it('still takes new rules when the cache cannot be written, and says so', () => {
    const errors: unknown[] = [];
    // A file where its folder should be: nothing can be written below it.
    const blocked = cacheFile();
    writeFileSync(blocked, 'not a folder');
    const rules = createRulesService({
      cache: fileRulesCache(path.join(blocked, 'rules.json')),
      onCacheError: (error) => errors.push(error),
    });
    rules.replace(STRICTER);
    expect(rules.current()).toEqual(STRICTER);
    expect(errors).toHaveLength(1);
  });
});
