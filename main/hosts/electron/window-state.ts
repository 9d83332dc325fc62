// The window's size and position, remembered between runs in the data directory and placed back
// only where the user can see it: a window saved on a monitor that is gone, or larger than the
// screen it lands on, is moved and shrunk onto a display instead of opening off-screen.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const RectSchema = z.object({
  x: z.int(),
  y: z.int(),
  width: z.int().positive(),
  height: z.int().positive(),
});
export type Rect = z.infer<typeof RectSchema>;

const WindowStateSchema = z.object({ bounds: RectSchema, maximized: z.boolean() });
export type WindowState = z.infer<typeof WindowStateSchema>;

export const DEFAULT_SIZE = { width: 1200, height: 800 } as const;
export const MIN_SIZE = { width: 720, height: 480 } as const;
const FILE = 'window-state.json';

function overlap(a: Rect, b: Rect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(value, high));
}

/**
 * Where the window opens: on the display it overlaps most (the primary, `workAreas[0]`, when it
 * overlaps none or nothing was saved), no larger than that display's work area, entirely inside it.
 */
export function placeWindow(
  saved: WindowState | undefined,
  workAreas: readonly Rect[],
): WindowState {
  const primary = workAreas[0];
  if (!primary) throw new Error('placeWindow needs at least one display.');
  let area = primary;
  let best = 0;
  for (const candidate of workAreas) {
    const shared = saved ? overlap(saved.bounds, candidate) : 0;
    if (shared > best) [area, best] = [candidate, shared];
  }
  const width = Math.min(
    area.width,
    Math.max(saved?.bounds.width ?? DEFAULT_SIZE.width, MIN_SIZE.width),
  );
  const height = Math.min(
    area.height,
    Math.max(saved?.bounds.height ?? DEFAULT_SIZE.height, MIN_SIZE.height),
  );
  const centred = { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2 };
  const origin = best > 0 && saved ? saved.bounds : centred;
  return {
    bounds: {
      x: Math.round(clamp(origin.x, area.x, area.x + area.width - width)),
      y: Math.round(clamp(origin.y, area.y, area.y + area.height - height)),
      width,
      height,
    },
    maximized: saved?.maximized ?? false,
  };
}

/** The saved state, or undefined when there is none or the file is unreadable. */
export async function loadWindowState(home: string): Promise<WindowState | undefined> {
  try {
    const parsed = WindowStateSchema.safeParse(
      JSON.parse(await readFile(join(home, FILE), 'utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the state atomically (temp file + rename), so a crash never leaves half a file. */
export async function saveWindowState(home: string, state: WindowState): Promise<void> {
  const file = join(home, FILE);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state));
  await rename(temp, file);
}
