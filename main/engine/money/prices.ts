// What one task of a recipe costs. APIMart publishes no price list GenQueue can rely on, so the
// price is learned from each task (its reported cost, or the balance before and after) and kept per
// recipe shape (model, resolution, size, n) with its source and date; a price the person entered
// in Settings overrides whatever was learned.
import type { LearnedPrice } from '../../contract/money.ts';
import { fromMicros, toMicros } from '../../contract/money.ts';
import type { PriceOverride, Recipe } from '../../contract/schemas.ts';
import type { Database } from '../store/database.ts';

/** What a task's price depends on. */
export interface PriceShape {
  model: string;
  resolution: string | null;
  size: string | null;
  n: number;
}

export type PriceSource = 'reported' | 'balance' | 'settings';

export interface KnownPrice {
  micros: number;
  source: PriceSource;
  /** When it was learned (null for a price from Settings). */
  learnedAt: number | null;
}

const SOURCE_WORDS: Record<PriceSource, string> = {
  reported: "APIMart's reported cost",
  balance: 'the balance before and after one task',
  settings: 'Settings',
};

export function priceShape(
  recipe: Pick<Recipe, 'model' | 'resolution' | 'size' | 'n'>,
): PriceShape {
  return {
    model: recipe.model,
    resolution: recipe.resolution?.toUpperCase() ?? null,
    size: recipe.size ?? null,
    n: recipe.n ?? 1,
  };
}

export function priceKey(shape: PriceShape): string {
  return JSON.stringify([shape.model, shape.resolution, shape.size, shape.n]);
}

/** "learned 3 May from APIMart's reported cost", "from Settings". */
export function describePrice(price: KnownPrice): string {
  const from = `from ${SOURCE_WORDS[price.source]}`;
  if (price.learnedAt === null) return from;
  const day = new Date(price.learnedAt).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
  });
  return `learned ${day} ${from}`;
}

export type PriceBook = ReturnType<typeof createPriceBook>;

/** The learned prices in `db`, under the overrides Settings holds now. */
export function createPriceBook(db: Database, overrides: () => readonly PriceOverride[]) {
  const upsert = db.prepare(
    `INSERT INTO prices (price_key, model, resolution, size, n, micros, source, learned_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (price_key) DO UPDATE SET micros = excluded.micros, source = excluded.source,
       learned_at = excluded.learned_at`,
  );
  const exact = db.prepare('SELECT micros, source, learned_at FROM prices WHERE price_key = ?');
  // Another size of the same model, resolution and n; else any n, scaled per image.
  const sameN = db.prepare(
    `SELECT micros, source, learned_at FROM prices WHERE model = ? AND resolution IS ? AND n = ?
     ORDER BY learned_at DESC LIMIT 1`,
  );
  const anyN = db.prepare(
    `SELECT micros, n, source, learned_at FROM prices WHERE model = ? AND resolution IS ?
     ORDER BY learned_at DESC LIMIT 1`,
  );

  function fromRow(row: Record<string, unknown> | undefined, scale = 1): KnownPrice | undefined {
    if (!row) return undefined;
    return {
      micros: Math.round(Number(row.micros) * scale),
      source: row.source as PriceSource,
      learnedAt: Number(row.learned_at),
    };
  }

  function override(shape: PriceShape): KnownPrice | undefined {
    const mine = overrides().filter((entry) => entry.model === shape.model);
    const chosen =
      mine.find((entry) => entry.resolution?.toUpperCase() === (shape.resolution ?? undefined)) ??
      mine.find((entry) => entry.resolution === undefined);
    if (!chosen) return undefined;
    return { micros: toMicros(chosen.usd) * shape.n, source: 'settings', learnedAt: null };
  }

  return {
    /** What a task of this recipe costs, as far as GenQueue knows; undefined until it knows. */
    lookup(recipe: Pick<Recipe, 'model' | 'resolution' | 'size' | 'n'>): KnownPrice | undefined {
      const shape = priceShape(recipe);
      const set = override(shape);
      if (set) return set;
      const row = exact.get(priceKey(shape));
      if (row) return fromRow(row);
      const similar = sameN.get(shape.model, shape.resolution, shape.n);
      if (similar) return fromRow(similar);
      const other = anyN.get(shape.model, shape.resolution);
      return other ? fromRow(other, shape.n / Number(other.n)) : undefined;
    },

    /** A task of this shape cost `micros` (never learned from a task that cost nothing: a failure). */
    learn(shape: PriceShape, micros: number, source: PriceSource, at = Date.now()): void {
      if (micros <= 0) return;
      const { model, resolution, size, n } = shape;
      upsert.run(priceKey(shape), model, resolution, size, n, micros, source, at);
    },

    list(): LearnedPrice[] {
      return db
        .prepare('SELECT * FROM prices ORDER BY model, resolution, size, n')
        .all()
        .map((row) => ({
          model: String(row.model),
          resolution: (row.resolution as string | null) ?? null,
          size: (row.size as string | null) ?? null,
          n: Number(row.n),
          usd: fromMicros(Number(row.micros)),
          source: SOURCE_WORDS[row.source as PriceSource] ?? String(row.source),
          learnedAt: Number(row.learned_at),
        }));
    },
  };
}
