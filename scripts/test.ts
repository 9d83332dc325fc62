// `npm test`: everything CI checks, in the order that fails fastest — type-check (node + web),
// lint (zero warnings) and format, build, the Electron security audit, then every test file (unit, integration, renderer e2e
// in Chromium, Electron e2e where a binary exists) through node:test. Ends with the one line CI
// reads: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { globSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

function step(title: string, command: string, args: string[]): void {
  const started = Date.now();
  process.stdout.write(`\n▶ ${title}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status === 0) {
    process.stdout.write(`✔ ${title} (${seconds} s)\n`);
    passed++;
  } else {
    process.stdout.write(`✖ ${title} failed (${seconds} s)\n`);
    failed++;
  }
}

/**
 * A package's command as a file this Node runs: node_modules/.bin holds shell scripts, which
 * spawn cannot start on Windows without a shell.
 */
function bin(pkg: string, command = pkg): string {
  const dir = join('node_modules', pkg);
  const { bin } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    bin: string | Record<string, string>;
  };
  return join(dir, typeof bin === 'string' ? bin : (bin[command] ?? ''));
}

if (only.length === 0) {
  const node = process.execPath;
  step('type-check (node)', node, [bin('typescript', 'tsc'), '-p', 'tsconfig.node.json']);
  step('type-check (web)', node, [bin('typescript', 'tsc'), '-p', 'tsconfig.web.json']);
  step('lint', node, [bin('eslint'), '.', '--max-warnings', '0']);
  step('format', node, [bin('prettier'), '--check', '.']);
  step('build', node, [bin('electron-vite'), 'build']);
  step('security audit (Electronegativity)', process.execPath, ['scripts/electronegativity.ts']);
}

const files = only.length > 0 ? only : globSync('tests/{unit,integration,e2e}/**/*.test.ts').sort();
process.stdout.write(`\n▶ ${files.length} test files\n`);
const stream = run({
  files,
  concurrency: Math.max(2, availableParallelism()),
  timeout: 2 * 60_000,
  env: { ...process.env, GENQUEUE_TEST: '1' },
});
stream.on('test:pass', (event) => {
  if (event.details.type === 'suite') return;
  if (event.skip || event.todo) skipped++;
  else passed++;
});
stream.on('test:fail', (event) => {
  if (event.details.type !== 'suite') failed++;
});
stream.compose(spec).pipe(process.stdout);
await new Promise((resolve) => stream.once('end', resolve));

process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
