// `npm start`'s first step. electron-vite starts the app from the binary that
// node_modules/electron/path.txt names (or ELECTRON_EXEC_PATH), but Electron 45 only downloads that
// binary lazily, so this runs Electron's own installer first. Where the download fails it says so
// in one sentence, with how to use a binary you already have, and exits 1 without a stack trace.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The project's electron package: the one `npm start` (run from the project folder) uses. */
const packageDir = dirname(
  createRequire(join(process.cwd(), 'package.json')).resolve('electron/package.json'),
);
const version = (
  JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The binary Electron's installer left, as electron-vite finds it, if it is there. */
function installedBinary(): string | undefined {
  try {
    const binary = join(packageDir, 'dist', readFileSync(join(packageDir, 'path.txt'), 'utf8'));
    return isExecutable(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** Runs Electron's installer; returns why it failed (its error's first line), or undefined. */
function runInstaller(): string | undefined {
  const result = spawnSync(process.execPath, [join(packageDir, 'install.js')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status === 0) return undefined;
  const firstLine = `${result.stderr ?? ''}`.trim().split('\n')[0] ?? '';
  return firstLine.replace(/^\w*Error: /, '') || result.error?.message || 'the installer failed';
}

function fail(sentence: string): void {
  process.stderr.write(`${sentence}\n`);
  process.exitCode = 1;
}

function ensureElectron(): void {
  const chosen = process.env.ELECTRON_EXEC_PATH;
  if (chosen) {
    if (!isExecutable(chosen))
      fail(
        `ELECTRON_EXEC_PATH is ${chosen}, which is not an executable file: point it at an Electron ${version} executable.`,
      );
    return;
  }
  if (installedBinary()) return;
  process.stdout.write(`Downloading Electron ${version}, the desktop app's runtime (once)…\n`);
  const reason = runInstaller();
  if (reason === undefined && installedBinary()) return;
  fail(
    `Electron ${version} could not be downloaded (${reason ?? 'no binary after installing'}), so ` +
      `the desktop app cannot start: run npm start again once online, or set ` +
      `ELECTRON_EXEC_PATH to an Electron ${version} executable you already have ` +
      `(ELECTRON_EXEC_PATH=/path/to/electron npm start).`,
  );
}

ensureElectron();
