import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveConfig } from 'electron-vite';
import { build, mergeConfig, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';
import { CHANNELS_FILE, channelsModuleText } from '../../../scripts/gen-ipc-channels.ts';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../../shared/ipc/channels.ts';
import { eventContract, invokeContract } from '../../../shared/ipc/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

const channelsOf = (contract: Record<string, { channel: string }>) =>
  Object.entries(contract).map(([method, spec]) => [method, spec.channel]);

/** Bundles the preload in memory exactly as `electron-vite build` does (same config file). */
async function bundlePreload(): Promise<Rolldown.OutputChunk> {
  // electron-vite's resolveConfig sets NODE_ENV for the whole process; this worker keeps its own.
  const nodeEnv = process.env.NODE_ENV;
  try {
    const { config } = await resolveConfig(
      { root: ROOT, configFile: path.join(ROOT, 'electron.vite.config.ts'), logLevel: 'silent' },
      'build',
      'production',
    );
    if (config?.preload === undefined) throw new Error('electron.vite.config.ts has no preload');
    const result = await build(
      mergeConfig(config.preload, { logLevel: 'silent', build: { write: false } }),
    );
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    const chunks = outputs.flatMap((output) => output.output).filter((o) => o.type === 'chunk');
    expect(chunks).toHaveLength(1);
    return chunks[0]!;
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

describe('the generated channel map', () => {
  it('is up to date with shared/ipc/contract.ts (npm run gen:ipc-channels)', async () => {
    expect(readFileSync(CHANNELS_FILE, 'utf8'), 'run npm run gen:ipc-channels').toBe(
      await channelsModuleText(),
    );
  });

  it('has exactly the contract’s methods and channels, in contract order', () => {
    expect(Object.entries(INVOKE_CHANNELS)).toEqual(channelsOf(invokeContract));
    expect(Object.entries(EVENT_CHANNELS)).toEqual(channelsOf(eventContract));
  });
});

describe('the built preload', () => {
  it('bundles the channel map and its own files only: no zod, no schemas', async () => {
    const chunk = await bundlePreload();
    const modules = chunk.moduleIds.map((id) => path.relative(ROOT, id).split(path.sep).join('/'));
    expect(modules).toContain('shared/ipc/channels.ts');
    expect(
      modules.filter(
        (id) => id !== 'shared/ipc/channels.ts' && !id.startsWith('electron/preload/'),
      ),
    ).toEqual([]);
    expect(chunk.imports).toEqual(['electron']);
    expect(chunk.code).not.toMatch(/_zod|\$Zod|safeParse|new Function|\beval\(/u);
    expect(chunk.code.length).toBeLessThan(10_000);
  }, 30_000);
});
