import type { IpcHandlers } from '../../../shared/ipc/index.ts';
import { createAppInfoHandlers, type AppInfoDeps } from './app-info.ts';
import { createJobsHandlers } from './jobs.ts';
import { createOutboxHandlers } from './outbox.ts';
import { createRulesHandlers, type RulesIpcDeps } from './rules.ts';
import { createSettingsHandlers } from './settings.ts';
import { createUsersHandlers } from './users.ts';
import type { JobRunner } from '../services/jobs/job-runner.ts';
import type { OutboxService } from '../services/outbox-service.ts';
import type { ProvisioningClient } from '../services/provisioning-client.ts';
import type { SettingsService } from '../services/settings-service.ts';

export type IpcDeps = AppInfoDeps &
  RulesIpcDeps & {
    client: ProvisioningClient;
    jobs: JobRunner;
    settings: SettingsService;
    outbox: OutboxService;
  };

/**
 * The handler map for the whole `shared/ipc` contract, built from plain services. It needs no
 * Electron: the Electron adapter and the Chromium test host both serve it.
 */
export function createIpcHandlers(deps: IpcDeps): IpcHandlers {
  return {
    ...createAppInfoHandlers(deps),
    ...createRulesHandlers(deps),
    ...createUsersHandlers(deps),
    ...createJobsHandlers(deps),
    ...createSettingsHandlers(deps),
    ...createOutboxHandlers(deps),
  };
}
