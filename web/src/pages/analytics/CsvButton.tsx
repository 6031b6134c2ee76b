import { useState } from 'react';
import type { AnalyticsApi, AnalyticsQuery, AnalyticsReportName } from '../../api/analytics';
import { saveFile } from '../../lib/download';
import { toProblem } from '../../lib/useResource';

export interface CsvButtonProps {
  client: Pick<AnalyticsApi, 'downloadAnalyticsCsv'>;
  course: string;
  report: AnalyticsReportName;
  query: AnalyticsQuery;
  /** What the file holds, for the button's accessible name ("Download CSV of exercises"). */
  what: string;
}

/**
 * Saves a report as CSV. The API wants the access token, which a plain link cannot send, so the
 * file is fetched here and saved from a blob: URL.
 */
export function CsvButton({ client, course, report, query, what }: CsvButtonProps) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setProblem(null);
    try {
      const file = await client.downloadAnalyticsCsv(course, report, query);
      saveFile(file.blob, file.filename);
    } catch (error) {
      const failure = toProblem(error);
      setProblem(`The CSV file could not be downloaded: ${failure.detail ?? failure.title}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="csv-download">
      <button type="button" className="button button-small" onClick={download} disabled={busy}>
        {busy ? 'Downloading…' : 'Download CSV'}
        <span className="visually-hidden"> of {what}</span>
      </button>
      {problem && (
        <p className="inline-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
