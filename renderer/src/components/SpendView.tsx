// The Spend view: what GenQueue paid APIMart — today (against the day's cap) and in all, per day
// over the last 30 days (a small chart), per model, per batch and per watched folder — the balance
// with its history, and the prices GenQueue learned (or was given in Settings). Live as tasks end.
import type { BalanceReading, SpendReport } from '../../../main/contract/money.ts';
import { formatPrice, formatUsd } from '../../../main/contract/money.ts';
import { useApp } from '../hooks/use-app.ts';
import { useSpendReport } from '../hooks/use-spend-report.ts';
import { plural } from '../lib/format.ts';
import { BalanceLine, chartedReadings, DayBars } from './SpendCharts.tsx';
import { SpendTable } from './SpendTable.tsx';

function balanceText(balance: BalanceReading | null): string {
  if (!balance) return 'Not read yet';
  if (balance.unlimited) return 'Unlimited';
  return balance.remaining === null ? 'Unknown' : formatUsd(balance.remaining);
}

function Card({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <div className="spend-card" role="group" aria-label={label}>
      <span className="spend-card-label">{label}</span>
      <strong className="spend-card-value">{value}</strong>
      <span className="muted">{note}</span>
    </div>
  );
}

function Cards({ report }: { report: SpendReport }) {
  const cap = report.capPerDayUsd;
  const unknown = report.unknownTasks ? `, ${report.unknownTasks} of unknown cost` : '';
  const read = report.balance
    ? `read ${new Date(report.balance.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`
    : 'read when GenQueue next works';
  return (
    <div className="spend-cards">
      <Card
        label="Today"
        value={formatUsd(report.todayUsd)}
        note={cap === null ? 'No daily cap (Settings)' : `of today's ${formatUsd(cap)} cap`}
      />
      <Card
        label="In all"
        value={formatUsd(report.totalUsd)}
        note={`${plural(report.tasks, 'task')}${unknown}`}
      />
      <Card label="Balance" value={balanceText(report.balance)} note={read} />
    </div>
  );
}

function Prices({ report }: { report: SpendReport }) {
  if (report.prices.length === 0) return null;
  return (
    <section className="spend-panel" aria-label="Prices learned">
      <h2>Prices learned</h2>
      <table className="spend-table">
        <thead>
          <tr>
            <th scope="col">Recipe</th>
            <th scope="col">From</th>
            <th scope="col" className="num">
              Per task
            </th>
          </tr>
        </thead>
        <tbody>
          {report.prices.map((price) => {
            const shape = [
              price.model,
              price.resolution,
              price.size,
              price.n > 1 ? `n ${price.n}` : null,
            ];
            return (
              <tr key={shape.join('|')}>
                <td>{shape.filter(Boolean).join(' · ')}</td>
                <td>{`${price.source}, ${new Date(price.learnedAt).toLocaleDateString()}`}</td>
                <td className="num">{formatPrice(price.usd)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function SpendView() {
  const { client } = useApp();
  const report = useSpendReport(client);
  return (
    <section className="view spend-view" aria-label="Spend">
      <header className="view-header">
        <div>
          <h1>Spend</h1>
          <p className="view-sub">
            {report ? `${plural(report.tasks, 'task')} paid for, each counted once` : 'Loading…'}
          </p>
        </div>
      </header>
      {report && (
        <div className="spend-scroll">
          <Cards report={report} />
          <div className="spend-charts">
            <section className="spend-panel" aria-label="Per day">
              <h2>Last 30 days</h2>
              <DayBars days={report.byDay} />
            </section>
            <section className="spend-panel" aria-label="Balance history">
              <h2>Balance</h2>
              {chartedReadings(report.balanceHistory).length > 1 ? (
                <BalanceLine history={report.balanceHistory} />
              ) : (
                <p className="muted">
                  {report.balance?.unlimited
                    ? 'Unlimited: nothing to chart.'
                    : 'Charted once GenQueue has read it twice.'}
                </p>
              )}
            </section>
          </div>
          <div className="spend-grid">
            <SpendTable
              title="Per model"
              column="Model"
              lines={report.byModel}
              empty="Nothing spent yet."
            />
            <SpendTable
              title="Per batch"
              column="Batch"
              lines={report.byBatch}
              empty="No batch has cost anything yet."
            />
            <SpendTable
              title="Per watched folder"
              column="Watched folder"
              lines={report.byFolder}
              empty="No watched folder has cost anything yet."
            />
          </div>
          <Prices report={report} />
        </div>
      )}
    </section>
  );
}
