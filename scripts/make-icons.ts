// Draws GenQueue's mark (a queue of three cards, the front one carrying a spark) and writes every
// icon the packages and the tray need: build/icon.png for macOS and Windows (electron-builder makes
// the .icns/.ico from it), build/icons/NxN.png for Linux, build/tray/*.png for the tray.
// Run `node scripts/make-icons.ts` after changing the drawing; the PNGs are committed.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

const BUILD = resolve(import.meta.dirname, '../build');
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

/** A four-pointed spark with concave sides, centred on (cx, cy). */
function spark(cx: number, cy: number, r: number): string {
  return `M${cx} ${cy - r}Q${cx} ${cy} ${cx + r} ${cy}Q${cx} ${cy} ${cx} ${cy + r}Q${cx} ${cy} ${cx - r} ${cy}Q${cx} ${cy} ${cx} ${cy - r}Z`;
}

const CARDS = [
  { x: 332, y: 272, opacity: 0.4 },
  { x: 292, y: 342, opacity: 0.7 },
  { x: 252, y: 412, opacity: 1 },
];
const CARD = { width: 440, height: 340, radius: 56 };
const SPARK = spark(252 + CARD.width / 2, 412 + CARD.height / 2, 128);

function cards(fill: string): string {
  return CARDS.map(
    ({ x, y, opacity }) =>
      `<rect x="${x}" y="${y}" width="${CARD.width}" height="${CARD.height}" rx="${CARD.radius}" fill="${fill}" fill-opacity="${opacity}"/>`,
  ).join('');
}

/** The app icon: the white queue on an indigo-to-violet rounded square. */
const APP_ICON = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#4f46e5"/><stop offset="1" stop-color="#9333ea"/></linearGradient></defs>
  <rect x="64" y="64" width="896" height="896" rx="200" fill="url(#g)"/>
  ${cards('#ffffff')}
  <path d="${SPARK}" fill="url(#g)"/>
</svg>`;

/** The macOS menu-bar template: black shapes on transparency, the spark cut out of the front card. */
const TRAY_TEMPLATE = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="160 180 704 664">
  <defs><mask id="m"><rect x="0" y="0" width="1024" height="1024" fill="#fff"/><path d="${SPARK}" fill="#000"/></mask></defs>
  <g mask="url(#m)">${cards('#000000')}</g>
</svg>`;

async function render(svg: string, size: number, file: string): Promise<void> {
  await sharp(Buffer.from(svg), { density: 72 * (size / 1024) * 4 })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(file);
}

await mkdir(join(BUILD, 'icons'), { recursive: true });
await mkdir(join(BUILD, 'tray'), { recursive: true });
await render(APP_ICON, 1024, join(BUILD, 'icon.png'));
for (const size of LINUX_SIZES) {
  await render(APP_ICON, size, join(BUILD, 'icons', `${size}x${size}.png`));
}
await render(APP_ICON, 32, join(BUILD, 'tray', 'tray.png'));
await render(TRAY_TEMPLATE, 32, join(BUILD, 'tray', 'trayTemplate.png'));
console.log(`Icons written under ${BUILD}.`);
