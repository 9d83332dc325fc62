// `npm run package:dir [output]`: electron-builder lays out the unpacked app for this OS from the
// built out/ (dist/linux-unpacked, dist/win-unpacked, dist/mac*/GenQueue.app), so what ends up in
// app.asar and beside it can be checked without making installers. It packages the Electron
// binary `npm start` uses; where none can be downloaded (Linux only) a stand-in takes its place.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  electronPackage,
  electronVersion,
  installedBinary,
  runInstaller,
} from './electron-binary.ts';

/**
 * Electron's fuse sentinel and a version-1 wire of eight fuses at Electron's defaults: the stand-in
 * carries it so that electron-builder flips its fuses as it does the real binary's.
 */
const FUSE_WIRE = Buffer.concat([
  Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
  Buffer.from([1, 8]),
  Buffer.from('10110001'),
]);

/** A folder shaped like an unpacked Electron for Linux, whose `electron` only says what it is. */
function makeStandIn(): string {
  const dir = mkdtempSync(join(tmpdir(), 'genqueue-stand-in-electron-'));
  const script =
    "#!/bin/sh\necho 'This GenQueue was packaged with a stand-in, not Electron.' >&2\nexit 1\n# ";
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from(script), FUSE_WIRE]), {
    mode: 0o755,
  });
  writeFileSync(join(dir, 'version'), electronVersion);
  writeFileSync(join(dir, 'LICENSE'), 'A stand-in for Electron, made by scripts/package-dir.ts.\n');
  mkdirSync(join(dir, 'resources'));
  return dir;
}

/** Where electron-builder puts the unpacked app for this OS and architecture. */
function unpackedDir(output: string): string {
  const arch = process.arch === 'x64' ? '' : `-${process.arch}`;
  if (process.platform === 'darwin') return join(output, `mac${arch}`);
  return join(output, `${process.platform === 'win32' ? 'win' : 'linux'}${arch}-unpacked`);
}

function megabytes(path: string): string {
  const entries = statSync(path).isDirectory()
    ? readdirSync(path, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
    : [path];
  const bytes = entries.reduce((sum, file) => sum + statSync(file).size, 0);
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A path as the person typed it: relative when it is inside the current folder. */
function shown(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

/** The folder holding app.asar: resources/, or the .app bundle's Contents/Resources on macOS. */
function resourcesDir(unpacked: string): string {
  if (process.platform !== 'darwin') return join(unpacked, 'resources');
  const app = readdirSync(unpacked).find((name) => name.endsWith('.app')) ?? 'GenQueue.app';
  return join(unpacked, app, 'Contents', 'Resources');
}

/** The real Electron dist folder, fetched if need be, or undefined with why it is missing. */
function realElectron(): { dist?: string; why?: string } {
  const why = installedBinary() ? undefined : runInstaller();
  return installedBinary() ? { dist: join(electronPackage, 'dist') } : { why };
}

function packageDir(output: string): number {
  const real = realElectron();
  if (!real.dist && process.platform !== 'linux') {
    process.stderr.write(
      `Electron ${electronVersion} could not be downloaded (${real.why}), and a stand-in is only made for Linux: package where Electron can be downloaded.\n`,
    );
    return 1;
  }
  const dist = real.dist ?? makeStandIn();
  if (!real.dist)
    process.stdout.write(
      `Electron ${electronVersion} could not be downloaded (${real.why}): packaging with a stand-in executable in its place, so the layout is real but this build will not run.\n`,
    );
  try {
    const builder = createRequire(import.meta.url).resolve('electron-builder/cli.js');
    const args = ['--dir', '--publish', 'never', `--config.electronDist=${dist}`];
    args.push(`--config.directories.output=${output}`);
    const built = spawnSync(process.execPath, [builder, ...args], { stdio: 'inherit' });
    if (built.status !== 0) return built.status ?? 1;
  } finally {
    if (!real.dist) rmSync(dist, { recursive: true, force: true });
  }
  const unpacked = unpackedDir(output);
  const resources = resourcesDir(unpacked);
  process.stdout.write(
    `Packaged ${shown(unpacked)}${real.dist ? '' : ' (stand-in Electron)'}: ` +
      `${megabytes(unpacked)} in all, app.asar ${megabytes(join(resources, 'app.asar'))}, ` +
      `app.asar.unpacked ${megabytes(join(resources, 'app.asar.unpacked'))}.\n`,
  );
  return 0;
}

process.exitCode = packageDir(resolve(process.argv[2] ?? 'dist'));
