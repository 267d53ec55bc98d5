export { applyJobUpdate, JOBS_KEY, resultsKey } from './api/jobs.ts';
export { JobsPanel } from './components/jobs-panel.tsx';
