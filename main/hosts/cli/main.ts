// Entry point of the `genqueue` command: picks the command, turns usage mistakes into one
// sentence and exit code 2, and any other failure into one sentence and exit code 1 — never a
// stack trace (set GENQUEUE_DEBUG=1 to see one).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { toEngineError } from '../../contract/errors.ts';
import type { RecipePatch } from '../../contract/schemas.ts';
import { runCommand } from './commands/run.ts';
import { statusCommand } from './commands/status.ts';
import { jobsCommand, JOB_STATES, type JobState } from './commands/jobs.ts';
import { modelsCommand } from './commands/models.ts';
import { prepareCommand } from './commands/prepare.ts';
import { simulatorCommand } from './commands/simulator.ts';
import { cancelCommand, retryCommand } from './commands/queue-control.ts';
import { watchCommand } from './commands/watch.ts';
import { terminalSafe } from './terminal-text.ts';
import { UsageError, USAGE } from './usage.ts';
import { packageVersion } from './version.ts';

const io = { stdout: process.stdout, stderr: process.stderr };

const OPTIONS = {
  prompt: { type: 'string' },
  model: { type: 'string' },
  size: { type: 'string' },
  resolution: { type: 'string' },
  n: { type: 'string' },
  option: { type: 'string', multiple: true },
  out: { type: 'string' },
  json: { type: 'boolean' },
  simulate: { type: 'boolean' },
  force: { type: 'boolean' },
  estimate: { type: 'boolean' },
  'max-spend': { type: 'string' },
  'no-wait': { type: 'boolean' },
  metadata: { type: 'string' },
  'max-dimension': { type: 'string' },
  port: { type: 'string' },
  failed: { type: 'boolean' },
  ambiguous: { type: 'boolean' },
  state: { type: 'string' },
  list: { type: 'boolean' },
  remove: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} satisfies ParseArgsConfig['options'];

type Values = ReturnType<typeof parse>['values'];

function parse(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's own message goes on to a hint with unbalanced quotes: keep its first sentence.
    const first = (error as Error).message.split(/(?<=\.) /)[0] ?? 'Unknown option.';
    throw new UsageError(first.endsWith('.') ? first : `${first}.`);
  }
}

function wholeNumber(value: string | undefined, flag: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    const what = min > 0 ? `a whole number of ${min} or more` : 'a whole number';
    throw new UsageError(`--${flag} takes ${what}, not "${value}".`);
  }
  return Number(value);
}

/** --option name=value, as often as needed: the model's own options (its schema names them). */
function optionFlags(given: string[] | undefined): RecipePatch['options'] {
  if (!given?.length) return undefined;
  const options: Record<string, string> = {};
  for (const text of given) {
    const match = /^([A-Za-z][A-Za-z0-9_-]{0,63})=(.{1,200})$/s.exec(text);
    if (!match)
      throw new UsageError(`--option takes name=value, such as quality=high, not "${text}".`);
    options[match[1]!] = match[2]!;
  }
  return options;
}

/** An amount in US dollars ("0.20", "$5"), more than zero. */
function dollars(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\$?(\d+(?:\.\d*)?|\.\d+)$/.exec(value.trim());
  if (!match || !(Number(match[1]) > 0)) {
    throw new UsageError(`--${flag} takes an amount in US dollars, such as 0.20, not "${value}".`);
  }
  return Number(match[1]);
}

/** The recipe flags shared by run and watch; only those given. */
function recipeFlags(values: Values): RecipePatch {
  const n = wholeNumber(values.n, 'n', 1);
  const options = optionFlags(values.option);
  return {
    ...(values.prompt?.trim() && { prompt: values.prompt }),
    ...(values.model && { model: values.model }),
    ...(values.size && { size: values.size }),
    ...(values.resolution && { resolution: values.resolution }),
    ...(n !== undefined && { n }),
    ...(options && { options }),
  };
}

function run(values: Values, paths: string[]): Promise<number> {
  const recipe = recipeFlags(values);
  if (paths.length === 0 && (Object.keys(recipe).length > 0 || values.out || values.force)) {
    throw new UsageError(
      'genqueue run needs at least one file or folder for its recipe flags, --out and --force (without any, it resumes the queue).',
    );
  }
  if (paths.length > 0 && !values.estimate && !values.prompt?.trim())
    throw new UsageError('genqueue run needs --prompt "<what to make>".');
  const maxSpendUsd = dollars(values['max-spend'], 'max-spend');
  return runCommand(
    {
      paths,
      recipe: { ...recipe, ...(values.out && { outDir: values.out }) },
      json: values.json ?? false,
      simulate: values.simulate ?? false,
      force: values.force ?? false,
      wait: !values['no-wait'],
      estimate: values.estimate ?? false,
      ...(maxSpendUsd !== undefined && { maxSpendUsd }),
    },
    io,
  );
}

function prepare(values: Values, paths: string[]): Promise<number> {
  if (paths.length === 0)
    throw new UsageError('genqueue prepare needs at least one file or folder.');
  if (!values.out) throw new UsageError('genqueue prepare needs --out <dir>.');
  const metadata = values.metadata ?? 'strip';
  if (metadata !== 'strip' && metadata !== 'keep' && metadata !== 'keep-with-gps') {
    throw new UsageError('--metadata is one of strip, keep, keep-with-gps.');
  }
  const maxDimension = wholeNumber(values['max-dimension'], 'max-dimension', 1);
  return prepareCommand(
    {
      paths,
      out: values.out,
      json: values.json ?? false,
      metadata,
      ...(maxDimension && { maxDimension }),
    },
    io,
  );
}

function watch(values: Values, dirs: string[]): Promise<number> {
  if (values.list && values.remove) throw new UsageError('Use --list or --remove, not both.');
  if (values.remove && dirs.length === 0)
    throw new UsageError('genqueue watch --remove needs the folders to stop watching.');
  const action = values.list ? 'list' : values.remove ? 'remove' : 'watch';
  return watchCommand(
    {
      action,
      dirs,
      recipe: recipeFlags(values),
      ...(values.out && { outDir: values.out }),
      json: values.json ?? false,
      simulate: values.simulate ?? false,
    },
    io,
  );
}

function jobs(values: Values): Promise<number> {
  const state = values.state ?? 'all';
  if (!(JOB_STATES as readonly string[]).includes(state))
    throw new UsageError(`--state is one of ${JOB_STATES.join(', ')}, not "${state}".`);
  return jobsCommand({ state: state as JobState, json: values.json ?? false }, io);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const { values, positionals } = parse(command.startsWith('-') ? argv : rest);
  if (values.version) {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  switch (command) {
    case 'run':
      return run(values, positionals);
    case 'prepare':
      return prepare(values, positionals);
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
    case 'watch':
      return watch(values, positionals);
    case 'jobs':
      return jobs(values);
    case 'status':
      return statusCommand({ json: values.json ?? false }, io);
    case 'models':
      return modelsCommand({ json: values.json ?? false, simulate: values.simulate ?? false }, io);
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
    io.stderr.write(`genqueue: ${terminalSafe(error.message)}\nRun "genqueue --help" for usage.\n`);
    process.exitCode = 2;
  } else {
    io.stderr.write(`genqueue: ${terminalSafe(toEngineError(error).message)}\n`);
    if (process.env.GENQUEUE_DEBUG) console.error(error);
    process.exitCode = 1;
  }
}
// The command has answered: a file-system call that never returns (a hung network drive) must not
// keep the process alive. Unref'd, so a process that ends by itself is not held up by it.
setTimeout(() => process.exit(), 3000).unref();
