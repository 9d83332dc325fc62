// Prepares images in a fresh process and reports its peak resident memory, so a test can bound
// what preparations cost without the test runner's own memory in the figure. Arguments: one JSON
// object { paths, cacheDir, budgetBytes, maxDimension? }; prints one JSON line.
import { toEngineError } from '../../main/contract/errors.ts';
import { createMemoryGate } from '../../main/engine/preflight/pipeline/memory-budget.ts';
import { prepareImage } from '../../main/engine/preflight/prepare.ts';

const { paths, cacheDir, budgetBytes, maxDimension } = JSON.parse(process.argv[2] ?? '{}') as {
  paths: string[];
  cacheDir: string;
  budgetBytes: number;
  maxDimension?: number;
};
const memory = createMemoryGate(budgetBytes);
const results = await Promise.all(
  paths.map((path) =>
    prepareImage(path, { metadata: 'strip', cacheDir, memory, maxDimension }).then(
      (prepared) => ({ ok: true, width: prepared.width, height: prepared.height }),
      (error: unknown) => ({ ok: false, message: toEngineError(error).message }),
    ),
  ),
);
const peakBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ peakBytes, results })}\n`);
