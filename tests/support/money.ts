// Money as the simulator sees it, for the spend tests: what it has charged so far (its balance's
// `used_balance`, read over HTTP like any client), in micro-dollars so sums compare exactly.
import type { Simulator } from '../../main/simulator/simulator.ts';

export async function chargedMicros(simulator: Simulator, usedBefore = 0): Promise<number> {
  const response = await fetch(`${simulator.url}/v1/user/balance`, {
    headers: { authorization: `Bearer ${simulator.apiKey}` },
  });
  const body = (await response.json()) as { used_balance: number };
  return Math.round((body.used_balance - usedBefore) * 1e6);
}

export const micros = (usd: number): number => Math.round(usd * 1e6);
