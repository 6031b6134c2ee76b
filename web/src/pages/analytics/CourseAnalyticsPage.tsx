import { useState } from 'react';
import type { ActivityInterval, AnalyticsApi } from '../../api/analytics';
import type { CatalogApi, User } from '../../api/client';
import { Breadcrumbs } from '../../components/Breadcrumbs';
import { StaffProblemView } from '../../components/StaffProblemView';
import { ProblemView } from '../../components/StatusViews';
import { isStaff } from '../../lib/roles';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useResource } from '../../lib/useResource';
import { paths } from '../../router/router';
import { activityEmpty, IntervalSwitch, LearnerActivity } from './LearnerActivity';
import { completionsEmpty, CourseCompletions } from './CourseCompletions';
import { CsvButton } from './CsvButton';
import { kDefaultRangeDays, lastDays, rangeDays, todayUtc, type DateRange } from './dateRange';
import { DateRangeFilter } from './DateRangeFilter';
import { ItemAnalysis, itemsEmpty } from './ItemAnalysis';
import { funnelEmpty, LessonFunnel } from './LessonFunnel';
import { ReportSection } from './ReportSection';
import { RetentionGrid } from './RetentionGrid';
import { StaffOnly } from '../../components/StaffOnly';
import './analytics.css';

export interface CourseAnalyticsPageProps {
  client: Pick<CatalogApi, 'getCourse'> & AnalyticsApi;
  course: string;
  /** The signed-in user. */
  user: User;
  /** Today in UTC (tests fix it). */
  today?: string;
}

/** One course's dashboard, for instructors and admins. */
export function CourseAnalyticsPage({ user, ...props }: CourseAnalyticsPageProps) {
  useDocumentTitle('Course analytics');
  if (!isStaff(user.role)) return <StaffOnly title="Analytics" what="see course analytics" />;
  return <Dashboard {...props} />;
}

// Statuses that concern the whole page rather than one report: not allowed, no such course.
const kPageStatuses = new Set([401, 403, 404]);

function Dashboard({ client, course, today = todayUtc() }: Omit<CourseAnalyticsPageProps, 'user'>) {
  const [range, setRange] = useState<DateRange>(() => lastDays(kDefaultRangeDays, today));
  const [interval, setActivityInterval] = useState<ActivityInterval>('week');
  const info = useResource(`course\n${course}`, (signal) => client.getCourse(course, signal));
  const key = `${course}\n${range.from}\n${range.to}`;
  const items = useResource(`items\n${key}`, (signal) =>
    client.getAnalytics(course, 'items', range, signal),
  );
  const funnel = useResource(`funnel\n${key}`, (signal) =>
    client.getAnalytics(course, 'funnel', range, signal),
  );
  const activity = useResource(`activity\n${key}\n${interval}`, (signal) =>
    client.getAnalytics(course, 'activity', { ...range, interval }, signal),
  );
  const completions = useResource(`completions\n${key}`, (signal) =>
    client.getAnalytics(course, 'completions', range, signal),
  );
  const retention = useResource(`retention\n${key}`, (signal) =>
    client.getAnalytics(course, 'retention', range, signal),
  );

  if (info.state === 'error') return <ProblemView problem={info.problem} onRetry={info.reload} />;
  for (const report of [items, funnel, activity, completions, retention]) {
    if (report.state === 'error' && kPageStatuses.has(report.problem.status)) {
      return (
        <StaffProblemView
          problem={report.problem}
          onRetry={report.reload}
          mfaReason="Instructors and administrators must set it up before they can see analytics."
        />
      );
    }
  }

  const title = info.state === 'ready' ? info.data.title : course;
  const lessonTitles = new Map(
    info.state === 'ready' ? info.data.lessons.map((lesson) => [lesson.slug, lesson.title]) : [],
  );
  const lessonTitle = (slug: string) => lessonTitles.get(slug) ?? slug;
  const csv = { client, course, query: range };

  return (
    <>
      <Breadcrumbs items={[{ label: 'Analytics', to: paths.analytics() }, { label: title }]} />
      <h1>Analytics: {title}</h1>
      <DateRangeFilter value={range} onChange={setRange} today={today} />
      <p className="range-summary" role="status">
        From {range.from} to {range.to} ({rangeDays(range)} days, UTC).
      </p>

      <ReportSection
        title="Exercises"
        resource={items}
        actions={<CsvButton {...csv} report="items" what="exercises" />}
        intro={
          <p className="report-intro">
            From each learner&apos;s first attempt in the period: <strong>facility</strong> is the
            mean score (low: hard), <strong>discrimination</strong> how well the exercise tells
            apart learners who do well on the rest of the course from those who do not (under 20:
            worth a look). A dash means too few data.
          </p>
        }
        empty={(data) => itemsEmpty(data.items)}
      >
        {(data) => <ItemAnalysis items={data.items} lessonTitle={lessonTitle} />}
      </ReportSection>

      <ReportSection
        title="Lesson funnel"
        resource={funnel}
        actions={<CsvButton {...csv} report="funnel" what="the lesson funnel" />}
        empty={(data) => funnelEmpty(data.lessons)}
      >
        {(data) => <LessonFunnel lessons={data.lessons} />}
      </ReportSection>

      <ReportSection
        title="Active learners"
        resource={activity}
        actions={
          <CsvButton
            {...csv}
            query={{ ...range, interval }}
            report="activity"
            what="active learners"
          />
        }
        intro={<IntervalSwitch value={interval} onChange={setActivityInterval} />}
        empty={(data) => activityEmpty(data.periods)}
      >
        {(data) => <LearnerActivity periods={data.periods} interval={data.interval} />}
      </ReportSection>

      <ReportSection
        title="Course completions"
        resource={completions}
        actions={<CsvButton {...csv} report="completions" what="course completions" />}
        empty={completionsEmpty}
      >
        {(data) => <CourseCompletions report={data} />}
      </ReportSection>

      <ReportSection
        title="Retention"
        resource={retention}
        actions={<CsvButton {...csv} report="retention" what="retention" />}
        intro={
          <p className="report-intro">
            Learners grouped by the week they started (weeks start on Monday), and the share of each
            group active in the course in each week since.
          </p>
        }
        empty={(data) =>
          data.cohorts.length === 0 ? 'No learner started this course in this period.' : null
        }
      >
        {(data) => <RetentionGrid cohorts={data.cohorts} />}
      </ReportSection>
    </>
  );
}
