/**
 * `npm test`: every check, in order, each counted. Runs all stages even after a failure so one
 * run shows everything that is wrong; ends with the summary line "N passed, N failed" (also
 * written to test-results/summary.txt) and a non-zero exit code on any failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { passedAfterWorkerCrash, type PlaywrightReport } from './e2e-report.ts';

const root = path.resolve(import.meta.dirname, '..');
const results = path.join(root, 'test-results');
const bin = (name: string): string => path.join(root, 'node_modules', '.bin', name);

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

interface Stage {
  name: string;
  command: string[];
  env?: Record<string, string>;
  /** Reads per-test counts from a report; absent for a stage that counts as one check. */
  count?: () => Tally | null;
  needs?: string;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

function readJson(file: string): unknown {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

const stages: Stage[] = [
  { name: 'typecheck', command: [bin('tsc'), '-b'] },
  { name: 'lint', command: [bin('eslint'), '--max-warnings', '0', '.'] },
  { name: 'format', command: [bin('prettier'), '--check', '.'] },
  { name: 'build', command: [bin('electron-vite'), 'build'] },
  {
    name: 'lint:electron',
    command: [process.execPath, 'scripts/electronegativity.ts'],
    needs: 'build',
  },
  {
    name: 'unit and component tests',
    command: [
      bin('vitest'),
      'run',
      '--project=unit',
      '--project=renderer',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${path.join(results, 'vitest.json')}`,
    ],
    count: () => {
      const report = readJson(path.join(results, 'vitest.json')) as VitestReport | null;
      return report === null
        ? null
        : {
            passed: report.numPassedTests,
            failed: report.numFailedTests,
            skipped: report.numPendingTests + report.numTodoTests,
          };
    },
  },
  {
    // Smaller than `npm run test:faults` (10,000 users), to keep CI short.
    name: 'fault tests (1,000 users)',
    command: [bin('vitest'), 'run', '--project=faults'],
    env: { PASSDESK_FAULT_USERS: '1000' },
  },
  {
    name: 'end-to-end tests',
    command: [bin('playwright'), 'test', '-c', 'test/e2e/playwright.config.ts'],
    needs: 'build',
    count: () => {
      const report = readJson(path.join(results, 'e2e.json')) as PlaywrightReport | null;
      if (report === null) return null;
      const crashed = passedAfterWorkerCrash(report.suites ?? []);
      for (const title of crashed)
        console.log(`  ${title}: its worker process died; it passed when run again`);
      return {
        passed: report.stats.expected + crashed.length,
        failed: report.stats.unexpected + report.stats.flaky - crashed.length,
        skipped: report.stats.skipped,
      };
    },
  },
];

rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const failedStages = new Set<string>();
const lines: string[] = [];
const started = Date.now();

for (const stage of stages) {
  const begun = Date.now();
  let tally: Tally;
  if (stage.needs !== undefined && failedStages.has(stage.needs)) {
    tally = { passed: 0, failed: 1, skipped: 0 };
    lines.push(`✗ ${stage.name}: not run, because ${stage.needs} failed`);
  } else {
    console.log(
      `\n▶ ${stage.name}: ${stage.command.map((part) => path.relative(root, part) || part).join(' ')}`,
    );
    const run = spawnSync(stage.command[0] ?? '', stage.command.slice(1), {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...stage.env },
    });
    const counted = stage.count?.() ?? null;
    const ok = run.status === 0;
    tally = counted ?? { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 };
    // A crashed runner with a clean report still fails.
    if (!ok && tally.failed === 0) tally = { ...tally, failed: 1 };
    const seconds = ((Date.now() - begun) / 1000).toFixed(1);
    lines.push(
      `${tally.failed === 0 ? '✓' : '✗'} ${stage.name}: ${tally.passed} passed, ${tally.failed} failed` +
        `${tally.skipped > 0 ? `, ${tally.skipped} skipped` : ''} (${seconds}s)`,
    );
  }
  if (tally.failed > 0) failedStages.add(stage.name);
  total.passed += tally.passed;
  total.failed += tally.failed;
  total.skipped += tally.skipped;
}

const summary = `${total.passed} passed, ${total.failed} failed`;
console.log(`\n${lines.join('\n')}`);
console.log(
  `Total time ${((Date.now() - started) / 1000).toFixed(0)}s${total.skipped > 0 ? `, ${total.skipped} skipped` : ''}`,
);
console.log(summary);
writeFileSync(path.join(results, 'summary.txt'), `${summary}\n`);
process.exitCode = total.failed === 0 ? 0 : 1;
