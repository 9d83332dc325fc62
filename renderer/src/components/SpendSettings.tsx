// Settings for money: the most GenQueue may spend in a day (every batch and folder together), and
// prices entered by hand (per image, per model, optionally per resolution), which override what
// GenQueue learned from APIMart. Saved like every other setting; the engine checks them.
import type { PriceOverride, Settings, SettingsPatch } from '../../../main/contract/schemas.ts';
import { formatUsd } from '../../../main/contract/money.ts';
import { CommitField } from './CommitField.tsx';

interface Props {
  settings: Settings;
  update: (patch: SettingsPatch) => Promise<Settings>;
}

/** "gpt-image-2 2K 0.014; gemini-3-pro-image-preview 0.04" ↔ price overrides. */
function parsePrices(text: string): PriceOverride[] {
  return text
    .split(';')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const parts = line.split(/\s+/);
      const usd = Number(parts.at(-1)?.replace(/^\$/, ''));
      const [model, resolution] = parts.slice(0, -1);
      if (!model || parts.length > 3 || !(usd >= 0)) {
        throw new Error(
          `"${line}" is not a price: write a model, optionally a resolution, then US dollars per image.`,
        );
      }
      return { model, ...(resolution && { resolution }), usd };
    });
}

function pricesText(prices: readonly PriceOverride[] | undefined): string {
  return (prices ?? [])
    .map((p) => [p.model, p.resolution, p.usd].filter((x) => x !== undefined).join(' '))
    .join('; ');
}

export function SpendSettings({ settings, update }: Props) {
  const cap = settings.spendCapPerDay;
  return (
    <>
      <CommitField
        key={`cap-${cap ?? ''}`}
        label="Daily spending cap (US dollars)"
        type="number"
        min={0}
        value={cap == null ? '' : String(cap)}
        placeholder="No cap"
        hint={
          cap == null
            ? 'Leave it empty for none. Past the cap, images wait, held, until tomorrow or a higher cap.'
            : `GenQueue pays for no image that would take today's spend past ${formatUsd(cap)}; the rest wait, held.`
        }
        onCommit={(value) => update({ spendCapPerDay: value.trim() === '' ? null : Number(value) })}
      />
      <CommitField
        key={`prices-${pricesText(settings.prices)}`}
        label="Prices you know"
        value={pricesText(settings.prices)}
        placeholder="gpt-image-2 2K 0.014; gemini-3-pro-image-preview 0.04"
        hint="A model, its resolution if it matters, and US dollars per image; separate prices with semicolons. They override what GenQueue learns from each task, in every estimate and cap."
        onCommit={async (value) => update({ prices: parsePrices(value) })}
      />
    </>
  );
}
