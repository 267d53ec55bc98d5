import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chooseHost, ROOT } from './support/choose-host.ts';

/** Prints which host this run uses, and builds the app when no build is there yet. */
export default function globalSetup(): void {
  const host = chooseHost();
  console.log(`PassDesk e2e host: ${host.name} (${host.reason})`);
  const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].every(
    (file) => existsSync(path.join(ROOT, file)),
  );
  if (!built) {
    console.log('No build found; running "npm run build" first.');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
}
