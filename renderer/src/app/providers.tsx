import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { CommandsProvider, createCommandStore, type CommandStore } from '../lib/commands.tsx';
import { createQueryClient } from '../lib/query.ts';
import { ApiEvents } from './api-events.tsx';

/** The renderer's data layer and command owner, with main's events feeding the cache. */
export function Providers({
  children,
  queryClient,
  commands,
}: {
  children: ReactNode;
  /** Tests pass their own, to look inside. */
  queryClient?: QueryClient;
  commands?: CommandStore;
}) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  const [store] = useState(() => commands ?? createCommandStore());
  return (
    <QueryClientProvider client={client}>
      <CommandsProvider store={store}>
        <ApiEvents />
        {children}
      </CommandsProvider>
    </QueryClientProvider>
  );
}
