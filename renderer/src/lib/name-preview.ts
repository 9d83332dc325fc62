// The live preview under the naming template in Settings. The engine's renderName
// (main/engine/results/output-names.ts) decides the real name; the renderer may not import engine
// code, so this applies the same placeholders and the same unsafe-character rule to a sample job.
export const NAME_PLACEHOLDERS = ['{name}', '{model}', '{index}', '{ext}', '{task}', '{date}'];

const UNSAFE = /[<>:"/\\|?*]/g;

export function previewName(template: string, model: string, date = new Date()): string {
  const values: Record<string, string> = {
    name: 'holiday-photo',
    model,
    index: '1',
    ext: 'png',
    task: 'task_01JX2K9',
    date: date.toISOString().slice(0, 10),
  };
  const rendered = template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
  const safe = rendered
    .replace(UNSAFE, '_')
    .replace(/^[. ]+|[. ]+$/g, '')
    .slice(0, 200);
  return safe || 'holiday-photo-1.png';
}

/** Placeholders in the template that the engine does not know (left as typed in the name). */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)]
    .map((match) => match[0])
    .filter((token) => !NAME_PLACEHOLDERS.includes(token));
}
