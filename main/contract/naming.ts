// The naming template for result files, one definition for the engine (which names the real
// results) and the window (whose Settings preview must show the very same name): placeholders,
// the characters no OS accepts, and the fallback. Pure string work, so the renderer bundles it.
export const NAME_PLACEHOLDERS = ['{name}', '{model}', '{index}', '{ext}', '{task}', '{date}'];

export interface NameValues {
  /** The source's file name without its extension. */
  name: string;
  model: string;
  index: number;
  ext: string;
  taskId: string;
  date?: Date;
}

// Characters no OS accepts in a file name, plus control characters.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const UNSAFE = /[<>:"/\\|?*\u0000-\u001f]/g;

/** The template filled in and made safe; unknown placeholders stay as typed. */
export function fileNameFromTemplate(template: string, values: NameValues): string {
  const fields: Record<string, string> = {
    name: values.name,
    model: values.model,
    index: String(values.index),
    ext: values.ext,
    task: values.taskId,
    date: (values.date ?? new Date()).toISOString().slice(0, 10),
  };
  const rendered = template.replace(/\{(\w+)\}/g, (whole, key: string) => fields[key] ?? whole);
  const safe = rendered
    .replace(UNSAFE, '_')
    .replace(/^[. ]+|[. ]+$/g, '')
    .slice(0, 200);
  return safe || `${values.name}-${values.index}.${values.ext}`;
}

/** Placeholders in the template that are not names' fields (left as typed in the name). */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)]
    .map((match) => match[0])
    .filter((token) => !NAME_PLACEHOLDERS.includes(token));
}
