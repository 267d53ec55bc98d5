import type { QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { Providers } from '../../renderer/src/app/providers.tsx';
import { createCommandStore, type CommandStore } from '../../renderer/src/lib/commands.tsx';
import { createQueryClient } from '../../renderer/src/lib/query.ts';

/**
 * Renders `ui` inside the app's providers (a fresh query cache and command store), as main.tsx
 * does; both are returned, to look inside or to send commands through.
 */
export function renderWithApp(
  ui: ReactElement,
): RenderResult & { commands: CommandStore; queryClient: QueryClient } {
  const commands = createCommandStore();
  const queryClient = createQueryClient();
  const rendered = render(
    <Providers queryClient={queryClient} commands={commands}>
      {ui}
    </Providers>,
  );
  return Object.assign(rendered, { commands, queryClient });
}
