// Whether one more task may be paid for under the spending caps (this run's --max-spend, today's
// cap, a watched folder's daily cap), as a pure function of what is spent or under way and what
// the task costs, so every rule can be read and tested in one place. A job that would pass a cap
// is held with a sentence saying which cap and why; an unknown price gets one task to learn it.
import { formatPrice, formatUsd, fromMicros } from '../../contract/money.ts';
import type { CapHold } from '../../contract/schemas.ts';

export type CapScope = 'run' | 'day' | 'folder';

export interface CapLimit {
  scope: CapScope;
  capMicros: number;
  /** Spent, plus what tasks under way will cost, in micro-dollars. */
  committedMicros: number;
}

export type CapVerdict = { kind: 'go' } | { kind: 'hold'; hold: CapHold };

/** "this run's $0.20 cap", "today's $5.00 cap", "this folder's $1.00 daily cap". */
export function capLabel(scope: CapScope, capMicros: number): string {
  const amount = formatUsd(fromMicros(capMicros));
  if (scope === 'run') return `this run's ${amount} cap`;
  if (scope === 'day') return `today's ${amount} cap`;
  return `this folder's ${amount} daily cap`;
}

function held(limit: CapLimit, why: string): CapVerdict {
  const label = capLabel(limit.scope, limit.capMicros);
  return {
    kind: 'hold',
    hold: {
      scope: limit.scope,
      capUsd: fromMicros(limit.capMicros),
      reason: `Held at ${label}: ${why}. Raise the cap to release it.`,
    },
  };
}

/**
 * The verdict for one task costing `priceMicros` (undefined: not known yet). `probing`: a task of
 * the same recipe shape, whose price is not known either, is under way: its cost will tell.
 */
export function judgeCaps(
  priceMicros: number | undefined,
  limits: readonly CapLimit[],
  probing: boolean,
): CapVerdict {
  if (limits.length === 0) return { kind: 'go' };
  for (const limit of limits) {
    const spent = formatUsd(fromMicros(limit.committedMicros));
    if (priceMicros === undefined && limit.committedMicros >= limit.capMicros) {
      return held(limit, `${spent} is spent or under way`);
    }
    if (priceMicros !== undefined && limit.committedMicros + priceMicros > limit.capMicros) {
      const price = formatPrice(fromMicros(priceMicros));
      return held(limit, `${spent} is spent or under way, and this image costs ≈ ${price}`);
    }
  }
  if (priceMicros === undefined && probing) {
    const tightest = limits.reduce((a, b) =>
      b.capMicros - b.committedMicros < a.capMicros - a.committedMicros ? b : a,
    );
    const label = capLabel(tightest.scope, tightest.capMicros);
    return {
      kind: 'hold',
      hold: {
        scope: 'price',
        capUsd: fromMicros(tightest.capMicros),
        reason: `Waiting for the first image of this recipe to say its price before spending more under ${label}.`,
      },
    };
  }
  return { kind: 'go' };
}
