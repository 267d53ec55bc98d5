import { useMutation } from '@tanstack/react-query';
import type { StartJobInput } from '../../../shared/ipc/index.ts';
import { getApi } from './api.ts';
import { unwrap } from './query.ts';

/**
 * Starts a bulk job of any kind. Its progress arrives as jobs:update events (the jobs panel
 * follows them); the mutation's error is the reason it could not start.
 */
export function useStartJob() {
  return useMutation({
    mutationFn: (input: StartJobInput) => unwrap(getApi().startJob(input)),
  });
}
