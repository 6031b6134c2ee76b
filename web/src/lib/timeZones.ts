/** The browser's time zone (IANA name), or UTC when it cannot tell. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * The time zones to choose from: the browser's list, with UTC and `current` added when the list
 * lacks them (browsers leave out aliases and UTC itself), in alphabetical order.
 */
export function timeZoneOptions(current?: string): string[] {
  const zones = new Set<string>(
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [],
  );
  zones.add('UTC');
  if (current) zones.add(current);
  return [...zones].sort((a, b) => a.localeCompare(b));
}

/** A time zone as people read it: "America/New_York" → "America/New York". */
export function timeZoneLabel(zone: string): string {
  return zone.replaceAll('_', ' ');
}

/** A date and time from the API (ISO 8601) in the user's time zone, or null when absent. */
export function formatDateTime(iso: string | null, timeZone: string): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(date); // an unknown zone
  }
}
