// How the dashboard writes its numbers. Missing statistics are null here and "—" on the page.

const kNumber = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** 57.14 → "57.1 %". */
export function formatPercent(value: number): string {
  return `${kNumber.format(value)} %`;
}

/** 0.556 → "56 %". */
export function formatRate(rate: number): string {
  return `${Math.round(rate * 100)} %`;
}

/** 63.24 → "63.2", −5 → "−5". */
export function formatIndex(value: number): string {
  return kNumber.format(value).replace('-', '−');
}

/** 8400 → "8.4 s", 125000 → "2 min 5 s". */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${kNumber.format(seconds)} s`;
  const whole = Math.round(seconds);
  const rest = whole % 60;
  return rest === 0 ? `${Math.floor(whole / 60)} min` : `${Math.floor(whole / 60)} min ${rest} s`;
}

/** 1234 → "1,234". */
export function formatCount(value: number): string {
  return kNumber.format(value);
}
