// Benchmarks that measure one run per fresh process (so peak memory is that run's alone) share
// these: starting the bench file again as a child with `--child …` and reading the JSON line it
// prints last, and the process's peak resident memory.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * This process's own peak RSS in MB. On Linux, getrusage's maxRSS starts from the parent's size at
 * spawn, so the address space's high-water mark (VmHWM) is read instead; maxRSS elsewhere.
 */
export function peakRssMb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs `file --child …args` under this Node and resolves with the JSON object it printed last. */
export function runChild<T>(file: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [file, '--child', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as T);
      else reject(new Error(`child ${args.join(' ')} exited ${code}`));
    });
  });
}
