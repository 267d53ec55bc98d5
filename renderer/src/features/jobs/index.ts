export { JobsPanel } from './components/jobs-panel.tsx';
export { useJobs, useLastActions } from './hooks/use-jobs.ts';
