export { applyJobUpdate, resultsKey } from './api/jobs.ts';
export { JobsPanel } from './components/jobs-panel.tsx';
