// Entry point of the `genqueue` command: picks the command, turns usage mistakes into one
// sentence and exit code 2, and any other failure into one sentence and exit code 1 — never a
// stack trace (set GENQUEUE_DEBUG=1 to see one).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { toEngineError } from '../../contract/errors.ts';
import type { RecipePatch } from '../../contract/schemas.ts';
import { runCommand } from './commands/run.ts';
import { statusCommand } from './commands/status.ts';
import { prepareCommand } from './commands/prepare.ts';
import { simulatorCommand } from './commands/simulator.ts';
import { cancelCommand, retryCommand } from './commands/queue-control.ts';
import { watchCommand } from './commands/watch.ts';
import { UsageError, USAGE } from './usage.ts';

const io = { stdout: process.stdout, stderr: process.stderr };

const OPTIONS = {
  prompt: { type: 'string' },
  model: { type: 'string' },
  size: { type: 'string' },
  resolution: { type: 'string' },
  n: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  simulate: { type: 'boolean' },
  force: { type: 'boolean' },
  metadata: { type: 'string' },
  'max-dimension': { type: 'string' },
  port: { type: 'string' },
  failed: { type: 'boolean' },
  ambiguous: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} takes a whole number, not "${value}".`);
  return Number(value);
}

/** The recipe flags shared by run and watch; only those given. */
function recipeFlags(values: {
  prompt?: string | undefined;
  model?: string | undefined;
  size?: string | undefined;
  resolution?: string | undefined;
  n?: string | undefined;
}): RecipePatch {
  const n = wholeNumber(values.n, 'n');
  return {
    ...(values.prompt?.trim() && { prompt: values.prompt }),
    ...(values.model && { model: values.model }),
    ...(values.size && { size: values.size }),
    ...(values.resolution && { resolution: values.resolution }),
    ...(n !== undefined && { n }),
  };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'Unknown option.');
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  switch (command) {
    case 'run': {
      if (positionals.length === 0)
        throw new UsageError('genqueue run needs at least one file or folder.');
      if (!values.prompt?.trim())
        throw new UsageError('genqueue run needs --prompt "<what to make>".');
      return runCommand(
        {
          paths: positionals,
          recipe: { ...recipeFlags(values), ...(values.out && { outDir: values.out }) },
          json: values.json ?? false,
          simulate: values.simulate ?? false,
          force: values.force ?? false,
        },
        io,
      );
    }
    case 'prepare': {
      if (positionals.length === 0)
        throw new UsageError('genqueue prepare needs at least one file or folder.');
      if (!values.out) throw new UsageError('genqueue prepare needs --out <dir>.');
      const metadata = values.metadata ?? 'strip';
      if (metadata !== 'strip' && metadata !== 'keep' && metadata !== 'keep-with-gps') {
        throw new UsageError('--metadata is one of strip, keep, keep-with-gps.');
      }
      const maxDimension = wholeNumber(values['max-dimension'], 'max-dimension');
      return prepareCommand(
        {
          paths: positionals,
          out: values.out,
          json: values.json ?? false,
          metadata,
          ...(maxDimension && { maxDimension }),
        },
        io,
      );
    }
    case 'retry': {
      if (values.failed && values.ambiguous)
        throw new UsageError('Use --failed or --ambiguous, not both.');
      const which = values.failed ? 'failed' : values.ambiguous ? 'ambiguous' : 'all';
      return retryCommand({ ids: positionals, which }, io);
    }
    case 'cancel':
      if (positionals.length === 0)
        throw new UsageError('genqueue cancel needs at least one job id.');
      return cancelCommand({ ids: positionals }, io);
    case 'watch': {
      if (positionals.length === 0)
        throw new UsageError('genqueue watch needs at least one folder.');
      return watchCommand(
        {
          dirs: positionals,
          recipe: recipeFlags(values),
          ...(values.out && { outDir: values.out }),
          json: values.json ?? false,
          simulate: values.simulate ?? false,
        },
        io,
      );
    }
    case 'status':
      return statusCommand({ json: values.json ?? false }, io);
    case 'simulator':
      return simulatorCommand({ port: wholeNumber(values.port, 'port') ?? 0 }, io);
    default:
      throw new UsageError(`There is no command "${command}".`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    io.stderr.write(`genqueue: ${error.message}\nRun "genqueue --help" for usage.\n`);
    process.exitCode = 2;
  } else {
    io.stderr.write(`genqueue: ${toEngineError(error).message}\n`);
    if (process.env.GENQUEUE_DEBUG) console.error(error);
    process.exitCode = 1;
  }
}
