// The Electron security gate: runs Doyensec's Electronegativity over the project (sources, page,
// package.json and, when built, out/) and fails on any HIGH finding, or when one of our own files
// could not be scanned. Other findings are printed for review. `node scripts/electronegativity.ts
// [dir]`; exit 0 clean, 1 HIGH finding or unscanned source, 2 the scanner itself failed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

interface Level {
  value: number;
  name: string;
}
interface Issue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: Level;
  confidence: Level;
  manualReview?: boolean;
  sample?: string;
}
interface ScanResult {
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: Issue[];
}
type Scan = (options: Record<string, unknown>) => Promise<ScanResult>;

/**
 * Electronegativity fetches two things from the internet: translations (every run) and Electron's
 * release notes (one check). The release check is skipped: it needs GitHub, and for Electron as a
 * devDependency it only ever reports INFORMATIONAL. The translation request cannot be turned off;
 * offline, its retry timer throws after its promise settled (got 11, sindresorhus/got#1489). Those
 * two errors are known and harmless (English is built in); anything else uncaught still fails.
 */
const OFFLINE_CHECK = 'AvailableSecurityFixesGlobalCheck';
function isTranslationFetchNoise(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message === 'The `onCancel` handler was attached after the promise settled.' ||
    message.includes('electronegativity-i18n')
  );
}
process.on('uncaughtException', (error) => {
  if (isTranslationFetchNoise(error)) return;
  console.error('Electronegativity failed:', error);
  process.exit(2);
});

function electronVersion(): string {
  const pkg: unknown = JSON.parse(
    readFileSync(resolve(ROOT, 'node_modules/electron/package.json'), 'utf8'),
  );
  const version = (pkg as { version?: unknown }).version;
  if (typeof version !== 'string') throw new Error('node_modules/electron has no version.');
  return version;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

async function main(): Promise<number> {
  const input = resolve(process.argv[2] ?? ROOT);
  const scan = require('@doyensec/electronegativity') as Scan;
  const result = await scan({
    input,
    excludeFromScan: [OFFLINE_CHECK],
    electronVersionOverride: electronVersion(),
    isRelative: false,
  });

  const issues = [...result.issues].sort(
    (a, b) => b.severity.value - a.severity.value || a.file.localeCompare(b.file),
  );
  for (const issue of issues) {
    // Global checks (a rule missing everywhere) name no file.
    const where =
      issue.file === 'N/A'
        ? '(whole project)'
        : `${relative(input, issue.file)}:${issue.location.line}`;
    const level = `${issue.severity.name}/${issue.confidence.name}`;
    const review = issue.manualReview ? ' (review)' : '';
    console.log(`${pad(level, 24)} ${pad(issue.id, 34)} ${where}${review}`);
  }
  // Bundles in out/ inline third-party code Babel's old parser cannot read; their sources are
  // scanned where they live. A file of ours that cannot be read is a gap in the gate.
  const built = `${resolve(input, 'out')}${sep}`;
  const unscanned = result.errors.filter((error) => !error.tolerable);
  for (const error of unscanned) {
    const ours = !error.file.startsWith(built);
    console.log(
      `${ours ? 'UNSCANNED' : 'skipped  '} ${relative(input, error.file)}: ${error.message}`,
    );
  }

  const count = (name: string): number =>
    issues.filter((issue) => issue.severity.name === name).length;
  const high = count('HIGH');
  const oursUnscanned = unscanned.filter((error) => !error.file.startsWith(built)).length;
  console.log(
    `Electronegativity: ${high} high, ${count('MEDIUM')} medium, ${count('LOW')} low, ` +
      `${count('INFORMATIONAL')} informational findings; ` +
      `${result.globalChecks + result.atomicChecks} checks, Electron ${electronVersion()}` +
      (oursUnscanned > 0 ? `; ${oursUnscanned} of our files could not be scanned` : '') +
      '.',
  );
  return high > 0 || oursUnscanned > 0 ? 1 : 0;
}

main().then(
  // Exit now: the scanner's translation request may still hold a retry timer open.
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('Electronegativity failed:', error);
    process.exit(2);
  },
);
