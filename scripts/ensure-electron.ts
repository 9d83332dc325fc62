// `npm start`'s first step. electron-vite starts the app from the binary that
// node_modules/electron/path.txt names (or ELECTRON_EXEC_PATH), but Electron 45 only downloads that
// binary lazily, so this runs Electron's own installer first. Where the download fails it says so
// in one sentence, with how to use a binary you already have, and exits 1 without a stack trace.
import {
  electronVersion as version,
  installedBinary,
  isExecutable,
  runInstaller,
} from './electron-binary.ts';

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
