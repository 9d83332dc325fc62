#!/usr/bin/env node
// The `genqueue` command. Checks the Node version first (node:sqlite needs 22.12+), then runs the
// TypeScript CLI directly through Node's type stripping, re-launching with the flag on Node
// versions that have it but do not enable it by default.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`genqueue needs Node.js 22.12 or newer; this is ${process.versions.node}.`);
  process.exit(2);
}
const entry = fileURLToPath(new URL('../main/hosts/cli/main.ts', import.meta.url));
if (!process.features.typescript) {
  const flags = ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'];
  const child = spawnSync(process.execPath, [...flags, entry, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(child.status ?? 1);
}
await import(entry);
