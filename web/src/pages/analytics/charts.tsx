// The dashboard's charts, drawn by Chart.js on a canvas (no inline scripts or styles, so the
// CSP holds). Only the dashboard imports this module, so Chart.js loads with it, never for
// learners. Each canvas is an image with a summary for its name; the tables beside the charts
// carry the same numbers.
import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
  type ChartOptions,
} from 'chart.js';
import { Bar, Line, Scatter } from 'react-chartjs-2';
import type {
  ActivityPeriod,
  CompletionDay,
  FunnelStep,
  ItemStatistics,
} from '../../api/analytics';
import { formatIndex, formatPercent } from './format';

ChartJS.register(
  BarElement,
  CategoryScale,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
);
// Charts appear whole: no motion to sit through (or to distract), and nothing to wait for.
ChartJS.defaults.animation = false;
ChartJS.defaults.color = '#57606a';
ChartJS.defaults.font.family = 'inherit';
ChartJS.defaults.maintainAspectRatio = false;

// The stylesheet's accent, a teal and an amber: apart in hue and in lightness.
const kColors = ['#1d4ed8', '#0e7490', '#b45309'];

interface ChartProps {
  /** The canvas's accessible name: what the chart shows, in a sentence. */
  label: string;
}

function axisTitle(text: string) {
  return { display: true, text };
}

/** Items with both facility and discrimination; the others cannot be placed. */
export function ItemScatter({ label, items }: ChartProps & { items: ItemStatistics[] }) {
  const points = items.map((item) => ({ x: item.facility ?? 0, y: item.discrimination ?? 0 }));
  const options: ChartOptions<'scatter'> = {
    // The nearest point's tooltip wherever the pointer is: small points are hard to hit.
    interaction: { mode: 'nearest', intersect: false },
    scales: {
      x: { min: 0, max: 100, title: axisTitle('Facility (% mean first-attempt score)') },
      y: { min: -100, max: 100, title: axisTitle('Discrimination index') },
    },
    plugins: {
      legend: { display: false },
      tooltip: {
        callbacks: {
          // Each point says which exercise it is: points that coincide are listed together.
          title: () => '',
          label: (context) => {
            const item = items[context.dataIndex];
            if (!item) return '';
            return [
              item.ref,
              item.prompt,
              `Facility ${formatPercent(item.facility ?? 0)}, discrimination ${formatIndex(item.discrimination ?? 0)}`,
            ];
          },
        },
      },
    },
  };
  return (
    <div className="chart-box">
      <Scatter
        role="img"
        aria-label={label}
        options={options}
        data={{
          datasets: [
            {
              label: 'Exercises',
              data: points,
              backgroundColor: kColors[0],
              pointRadius: 5,
              // Points on the frame (facility 100, discrimination −100) are drawn whole.
              clip: false,
            },
          ],
        }}
      />
    </div>
  );
}

export function FunnelChart({ label, lessons }: ChartProps & { lessons: FunnelStep[] }) {
  const steps = [
    { key: 'viewed', label: 'Viewed' },
    { key: 'attempted', label: 'Attempted' },
    { key: 'completed', label: 'Completed' },
  ] as const;
  // Lying bars, so that lesson titles read across; the chart grows with the lessons.
  const options: ChartOptions<'bar'> = {
    indexAxis: 'y',
    scales: {
      x: { beginAtZero: true, ticks: { precision: 0 }, title: axisTitle('Learners') },
    },
  };
  return (
    <div className="chart-box" style={{ height: `${Math.max(12, 4 + lessons.length * 3)}rem` }}>
      <Bar
        role="img"
        aria-label={label}
        options={options}
        data={{
          labels: lessons.map((lesson) => lesson.title || lesson.lesson),
          datasets: steps.map((step, index) => ({
            label: step.label,
            data: lessons.map((lesson) => lesson[step.key]),
            backgroundColor: kColors[index],
          })),
        }}
      />
    </div>
  );
}

export function ActivityChart({ label, periods }: ChartProps & { periods: ActivityPeriod[] }) {
  const options: ChartOptions<'bar'> = {
    scales: {
      y: { beginAtZero: true, ticks: { precision: 0 }, title: axisTitle('Active learners') },
    },
    plugins: { legend: { display: false } },
  };
  return (
    <div className="chart-box">
      <Bar
        role="img"
        aria-label={label}
        options={options}
        data={{
          labels: periods.map((period) => period.start),
          datasets: [
            {
              label: 'Active learners',
              data: periods.map((period) => period.learners),
              backgroundColor: kColors[0],
            },
          ],
        }}
      />
    </div>
  );
}

export function CompletionsChart({ label, days }: ChartProps & { days: CompletionDay[] }) {
  const options: ChartOptions<'line'> = {
    scales: {
      y: { beginAtZero: true, ticks: { precision: 0 }, title: axisTitle('Learners') },
    },
    plugins: { legend: { display: false } },
  };
  return (
    <div className="chart-box">
      <Line
        role="img"
        aria-label={label}
        options={options}
        data={{
          labels: days.map((day) => day.date),
          datasets: [
            {
              label: 'Completed the course (cumulative)',
              data: days.map((day) => day.cumulative),
              borderColor: kColors[1],
              backgroundColor: kColors[1],
              pointRadius: days.length > 60 ? 0 : 2,
              stepped: true,
            },
          ],
        }}
      />
    </div>
  );
}
