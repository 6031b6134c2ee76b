// Names, tags and defaults that every stack shares, so they are chosen in one place.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

// Finite everywhere: a month of logs answers "what happened last week" at a bounded cost.
export const kLogRetention = RetentionDays.ONE_MONTH;

export function stackName(stage: string, part: string): string {
  return `Practica-${stage}-${part}`;
}

// The port `practica serve` listens on in a container (PRACTICA_LISTEN=0.0.0.0:8080).
export const kApiPort = 8080;
