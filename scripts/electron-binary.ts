// Where the project's Electron binary is, and Electron's own installer to fetch it: Electron 45
// has no install step (it downloads lazily on first require), so `npm start` and
// `npm run package:dir` both ask here first. Paths are the electron package of the project in the
// current folder, which is where npm runs its scripts.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const electronPackage = dirname(
  createRequire(join(process.cwd(), 'package.json')).resolve('electron/package.json'),
);
export const electronVersion = (
  JSON.parse(readFileSync(join(electronPackage, 'package.json'), 'utf8')) as { version: string }
).version;

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The binary Electron's installer left, as electron-vite finds it, if it is there. */
export function installedBinary(): string | undefined {
  try {
    const named = readFileSync(join(electronPackage, 'path.txt'), 'utf8');
    const binary = join(electronPackage, 'dist', named);
    return isExecutable(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs Electron's installer (it honours ELECTRON_MIRROR and electron_config_cache); returns why
 * it failed, from its error's first line, or undefined when it succeeded.
 */
export function runInstaller(): string | undefined {
  const result = spawnSync(process.execPath, [join(electronPackage, 'install.js')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status === 0) return undefined;
  const firstLine = `${result.stderr ?? ''}`.trim().split('\n')[0] ?? '';
  return firstLine.replace(/^\w*Error: /, '') || result.error?.message || 'the installer failed';
}
