// `genqueue models`: the models the key can use and each one's options (sizes, resolutions, how
// many images, its own options, reference images), read from APIMart's live list and schemas,
// or GenQueue's built-in table when APIMart cannot be asked. --json: one model per line.
import { allowedText, type ModelField, type ModelInfo } from '../../../contract/model-info.ts';
import { call, openEngine } from '../open-engine.ts';
import type { Output } from '../reporter.ts';
import { terminalSafe } from '../terminal-text.ts';

export interface ModelsArgs {
  json: boolean;
  simulate: boolean;
}

export async function modelsCommand(
  args: ModelsArgs,
  io: { stdout: Output },
  env = process.env,
): Promise<number> {
  const { engine } = await openEngine('genqueue models', env, { simulate: args.simulate });
  try {
    const list = await call(engine, 'models.list', { fresh: true });
    if (args.json) {
      for (const model of list.models) io.stdout.write(`${JSON.stringify(model)}\n`);
      return 0;
    }
    const { baseUrl } = await call(engine, 'settings.get', {});
    const where = (await call(engine, 'app.info', {})).simulated
      ? 'the simulator'
      : (env.APIMART_BASE_URL ?? baseUrl);
    const count = `${list.models.length} model${list.models.length === 1 ? '' : 's'}`;
    io.stdout.write(
      list.source === 'live'
        ? `${count} offered by ${where} (read ${new Date(list.fetchedAt ?? 0).toISOString()}).\n`
        : `${count} from GenQueue's built-in list: ${where} could not be asked for its own.\n`,
    );
    for (const model of list.models) {
      for (const line of describeModel(model)) io.stdout.write(`${terminalSafe(line)}\n`);
    }
    return 0;
  } finally {
    await engine.stop();
  }
}

/** A model and its options, one line each (a blank one first), as `genqueue models` prints them. */
export function describeModel(model: ModelInfo): string[] {
  const source =
    model.source === 'live'
      ? "from APIMart's schema"
      : model.source === 'built-in'
        ? 'built-in'
        : 'options unknown';
  const lines = [
    '',
    `${model.id} (${model.label === model.id ? '' : `${model.label}, `}${source})`,
  ];
  for (const field of model.fields) lines.push(`  ${field.name}: ${fieldText(field)}`);
  if (model.source !== 'listed') {
    const { min, max } = model.referenceImages;
    lines.push(`  reference images: ${min === max ? min : `${min} to ${max}`}`);
  }
  if (model.promptMax !== undefined) lines.push(`  prompt: at most ${model.promptMax} characters`);
  if (model.mask) lines.push('  mask: yes');
  return lines;
}

function fieldText(field: ModelField): string {
  const allowed = allowedText(field).replace(/^(?:of|as) /, '');
  const more = [
    field.default === undefined ? undefined : `default ${String(field.default)}`,
    field.required ? 'required' : undefined,
  ].filter(Boolean);
  return more.length === 0 ? allowed : `${allowed} (${more.join(', ')})`;
}
