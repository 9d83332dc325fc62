// One breakdown of the Spend view (per model, per batch, per watched folder): a titled table of
// lines with their task counts and amounts, or a sentence when there is nothing to show yet.
import type { SpendLine } from '../../../main/contract/money.ts';
import { formatUsd } from '../../../main/contract/money.ts';
import { formatCount } from '../lib/format.ts';

export function SpendTable({
  title,
  column,
  lines,
  empty,
}: {
  title: string;
  /** The heading of the lines' own column ("Model", "Batch"). */
  column: string;
  lines: readonly SpendLine[];
  empty: string;
}) {
  return (
    <section className="spend-panel" aria-label={title}>
      <h2>{title}</h2>
      {lines.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <table className="spend-table">
          <thead>
            <tr>
              <th scope="col">{column}</th>
              <th scope="col" className="num">
                Tasks
              </th>
              <th scope="col" className="num">
                Spent
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.key}>
                <td title={line.label}>{line.label}</td>
                <td className="num">{formatCount(line.tasks)}</td>
                <td className="num">{formatUsd(line.usd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
