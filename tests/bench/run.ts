// `npm run bench`: runs every benchmark in tests/bench one after another, each in its own process
// (so one's memory and threads never skew the next), and says which, if any, failed.
// BENCH_QUICK=1 runs them at smoke-test size; name files to run only those.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

const chosen = process.argv.slice(2);
const files = chosen.length > 0 ? chosen : globSync('tests/bench/*.bench.ts').sort();
const failed: string[] = [];
for (const file of files) {
  process.stdout.write(`\n▶ ${file}${process.env.BENCH_QUICK === '1' ? ' (quick)' : ''}\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  process.stdout.write(`  (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  if (result.status !== 0) failed.push(file);
}
if (failed.length > 0) {
  process.stdout.write(`\nFailed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
