import {
  RETRYABLE_OUTCOMES,
  type JobOutcome,
  type JobParams,
  type JobSummary,
} from '../../../../../shared/ipc/index.ts';
import { SECRET_NOUNS } from '../../../../../shared/rules/index.ts';
import { plural } from '../../../lib/format.ts';

export type Tone = 'progress' | 'success' | 'warning' | 'danger' | 'neutral';

export interface Verdict {
  /** The badge. */
  label: string;
  /** Colours the badge, the bar and the card's edge. */
  tone: Tone;
}

const ACTIVE = new Set<JobSummary['state']>(['running', 'cancelling', 'checking']);

/** Something is under way for the job: sending, or asking the backend about it. */
export const isActive = (job: JobSummary): boolean => ACTIVE.has(job.state);

/** Still sending users (as opposed to done sending, or only checking). */
export const isSending = (job: JobSummary): boolean =>
  job.state === 'running' || job.state === 'cancelling';

/**
 * Users who did not get what the job was for, and should have: all but changed, already so,
 * skipped (already done by an earlier job, or nothing to do, like a user with no email) and
 * pending.
 */
export function problemCount(counts: JobSummary['counts']): number {
  return (
    counts.rejected +
    counts.failed +
    counts['not-sent'] +
    counts['not-found'] +
    counts.unconfirmed +
    counts.unknown
  );
}
const problems = problemCount;

export type SegmentKind = 'done' | 'sent' | 'changed' | 'skipped' | 'unconfirmed' | 'problem';

/**
 * The progress bar's parts, in order. While sending: users with an outcome, then those out with
 * the backend. Afterwards, by outcome: changed, already changed, not confirmed yet, problems.
 */
export function barSegments(job: JobSummary): { kind: SegmentKind; users: number }[] {
  const { counts } = job;
  const parts: { kind: SegmentKind; users: number }[] = isSending(job)
    ? [
        { kind: 'done', users: job.done },
        { kind: 'sent', users: job.inFlight },
      ]
    : [
        { kind: 'changed', users: counts.changed },
        { kind: 'skipped', users: counts.skipped + counts.unchanged },
        { kind: 'unconfirmed', users: counts.unconfirmed },
        { kind: 'problem', users: problems(counts) - counts.unconfirmed },
      ];
  return parts.filter((part) => part.users > 0);
}

/**
 * What a job's card says at a glance. Green only when everyone it was for is changed; red when
 * nobody is; amber for anything in between, and while some users are not confirmed yet.
 */
export function verdictOf(job: JobSummary): Verdict {
  switch (job.state) {
    case 'running':
      // Waiting out an outage of the backend: it goes on by itself, and can be cancelled.
      return job.waiting === null
        ? { label: 'Running', tone: 'progress' }
        : { label: 'Waiting for the backend', tone: 'warning' };
    case 'cancelling':
      return { label: 'Cancelling…', tone: 'progress' };
    case 'checking':
      return { label: 'Checking…', tone: 'progress' };
    case 'unconfirmed':
      return { label: 'Not confirmed yet', tone: 'warning' };
    case 'completed':
    case 'cancelled':
    case 'interrupted':
      break;
  }
  const { counts } = job;
  const stopped =
    job.state === 'cancelled' ? 'Cancelled' : job.state === 'interrupted' ? 'Interrupted' : null;
  if (problems(counts) === 0 && counts.changed === 0)
    return { label: stopped ?? 'Nothing to do', tone: 'neutral' };
  if (counts.changed === 0)
    return { label: `${stopped ?? 'Finished'} · nothing changed`, tone: 'danger' };
  if (problems(counts) > 0) return { label: stopped ?? 'Finished with problems', tone: 'warning' };
  return { label: stopped ?? 'Finished', tone: 'success' };
}

/** The users a retry can help, and how the others are left out, in words. */
export function retryPlan(counts: Readonly<Record<JobOutcome, number>>): {
  count: number;
  includes: string;
  leavesOut: string | null;
} {
  const count = RETRYABLE_OUTCOMES.reduce((sum, outcome) => sum + counts[outcome], 0);
  const parts = [
    counts.failed > 0 ? plural(counts.failed, 'failed user', 'failed users') : null,
    counts.rejected > 0 ? plural(counts.rejected, 'rejected user', 'rejected users') : null,
    counts['not-sent'] > 0 ? `${plural(counts['not-sent'], 'user')} not sent` : null,
  ].filter((part): part is string => part !== null);
  const out = [
    counts.unconfirmed > 0
      ? `${plural(counts.unconfirmed, 'user')} not confirmed yet (use Check again first)`
      : null,
    counts['not-found'] > 0
      ? `${plural(counts['not-found'], 'user')} the backend does not know`
      : null,
  ].filter((part): part is string => part !== null);
  return {
    count,
    includes: parts.length === 0 ? 'nobody' : joinWords(parts),
    leavesOut: out.length === 0 ? null : joinWords(out),
  };
}

function joinWords(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`;
}

/** What a job does, as its card's title (license names where they are known). */
/** How the job did it, when its title does not say (a reset's temporary secrets); else null. */
export function jobManner(params: JobParams): string | null {
  return params.kind === 'password-reset' && params.temporary === true ? 'set as temporary' : null;
}

export function jobTitle(
  params: JobParams,
  licenseNames: ReadonlyMap<string, string> = new Map(),
): string {
  const name = (id: string) =>
    licenseNames.get(id) ?? (params.kind === 'license' ? params.names?.[id] : undefined) ?? id;
  switch (params.kind) {
    case 'password-reset':
      return `Reset ${params.secretKinds.map((kind) => SECRET_NOUNS[kind].title).join(' + ')}`;
    case 'recovery-email':
      return 'Email password recovery links';
    case 'intercept':
      return `Turn intercept ${params.intercepted ? 'on' : 'off'}`;
    case 'license':
      return `Update licenses (${[
        ...params.add.map((id) => `+ ${name(id)}`),
        ...params.remove.map((id) => `− ${name(id)}`),
      ].join(', ')})`;
  }
}
