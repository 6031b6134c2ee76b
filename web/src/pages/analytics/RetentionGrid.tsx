import type { Cohort } from '../../api/analytics';
import { formatCount, formatRate } from './format';

/** The shade of a rate: one of 11 steps (heat-0 … heat-10), each with readable text on it. */
export function heatClass(rate: number): string {
  return `heat-${Math.min(10, Math.max(0, Math.round(rate * 10)))}`;
}

/**
 * Cohorts by sign-up week down the side, weeks since sign-up across: each cell gives the share
 * of the cohort active that week as text, shaded by it. Weeks a cohort has not reached yet are
 * left empty.
 */
export function RetentionGrid({ cohorts }: { cohorts: Cohort[] }) {
  const weeks = Math.max(0, ...cohorts.map((cohort) => cohort.rates.length));
  return (
    <div className="table-scroll">
      <table className="data-table retention-grid">
        <caption className="visually-hidden">
          Retention: the share of each sign-up week&apos;s learners active in each week after
        </caption>
        <thead>
          <tr>
            <th scope="col">Cohort (week of)</th>
            <th scope="col" className="numeric">
              Learners
            </th>
            {Array.from({ length: weeks }, (_, week) => (
              <th key={week} scope="col" className="numeric">
                Week {week}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cohorts.map((cohort) => (
            <tr key={cohort.week}>
              <th scope="row" className="nowrap">
                {cohort.week}
              </th>
              <td className="numeric">{formatCount(cohort.learners)}</td>
              {Array.from({ length: weeks }, (_, week) => {
                const rate = cohort.rates[week];
                if (rate === undefined) {
                  return (
                    <td key={week} className="heat-none">
                      <span className="visually-hidden">not reached yet</span>
                    </td>
                  );
                }
                const retained = cohort.retained[week] ?? 0;
                return (
                  <td
                    key={week}
                    className={`numeric ${heatClass(rate)}`}
                    title={`${formatCount(retained)} of ${formatCount(cohort.learners)}`}
                  >
                    {formatRate(rate)}
                    <span className="visually-hidden">
                      , {formatCount(retained)} of {formatCount(cohort.learners)}
                    </span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
