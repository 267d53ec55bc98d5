/**
 * `npm run gen:ipc-channels` — writes `shared/ipc/channels.ts` from `shared/ipc/contract.ts`:
 * each `window.api` method's channel, with no schemas, so that the sandboxed preload can build
 * `window.api` without bundling zod. `--check` writes nothing and exits 1 when the file is out
 * of date (test/unit/ipc/channels.test.ts fails then too).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { eventContract, invokeContract } from '../shared/ipc/contract.ts';

export const CHANNELS_FILE = path.resolve(import.meta.dirname, '../shared/ipc/channels.ts');

const entries = (contract: Record<string, { channel: string }>): string =>
  Object.entries(contract)
    .map(([method, spec]) => `  ${method}: ${JSON.stringify(spec.channel)},`)
    .join('\n');

/** The text `shared/ipc/channels.ts` must have for the contract as it is now. */
export async function channelsModuleText(): Promise<string> {
  const text = `// Generated from shared/ipc/contract.ts by \`npm run gen:ipc-channels\`; do not edit.
/**
 * The channel of each \`window.api\` method, without the contract's schemas: the sandboxed
 * preload imports only this (and types), so it carries no zod. The main process still parses
 * every call with the contract's schemas. The types prove each entry is the contract's own;
 * test/unit/ipc/channels.test.ts proves the file is up to date.
 */
import type { EventContract, InvokeContract } from './contract.ts';

/** Renderer → main operations: method name → channel, in contract order. */
export const INVOKE_CHANNELS = {
${entries(invokeContract)}
} as const satisfies { readonly [M in keyof InvokeContract]: InvokeContract[M]['channel'] };

/** Main → renderer events: subscribe method name → channel, in contract order. */
export const EVENT_CHANNELS = {
${entries(eventContract)}
} as const satisfies { readonly [E in keyof EventContract]: EventContract[E]['channel'] };
`;
  const options = await resolveConfig(CHANNELS_FILE);
  return format(text, { ...options, filepath: CHANNELS_FILE });
}

if (import.meta.main) {
  const wanted = await channelsModuleText();
  const current = existsSync(CHANNELS_FILE) ? readFileSync(CHANNELS_FILE, 'utf8') : null;
  const relative = path.relative(process.cwd(), CHANNELS_FILE);
  if (process.argv.includes('--check')) {
    if (current !== wanted) {
      console.error(`${relative} is out of date: run npm run gen:ipc-channels`);
      process.exitCode = 1;
    } else console.log(`${relative} is up to date`);
  } else if (current === wanted) {
    console.log(`${relative} is up to date`);
  } else {
    writeFileSync(CHANNELS_FILE, wanted);
    console.log(`wrote ${relative}`);
  }
}
