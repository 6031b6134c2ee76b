// Bad input: a context value that cannot work stops the synth with a message naming it.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings, SettingsError } from '../lib/settings';
import { dummyLambdaZip, kDomainContext, kInfraDir } from './synth';

function settings(context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  const values: Record<string, unknown> = { region: 'eu-west-1', ...context };
  return readSettings({ tryGetContext: (key) => values[key] }, env, kInfraDir);
}

function failure(context: Record<string, unknown>): string {
  try {
    settings(context);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
  throw new Error(`no error for ${JSON.stringify(context)}`);
}

describe('context values', () => {
  const lambdaZip = dummyLambdaZip();

  it('defaults to the serverless mode and the production stage', () => {
    const read = settings({ lambdaZip });
    expect(read.mode).toBe('serverless');
    expect(read.stage).toBe('production');
    expect(read.domain).toBeUndefined();
    expect(read.account).toBeUndefined();
    expect(read.reservedConcurrency).toBeUndefined();
    expect(read.ingestConcurrency).toBe(2);
  });

  it('refuses an unknown mode, naming it and the choices', () => {
    expect(failure({ mode: 'lambda', lambdaZip })).toMatch(
      /-c mode=lambda: unknown mode; use one of serverless, container/,
    );
  });

  it('refuses an unknown stage', () => {
    expect(failure({ stage: 'prod', lambdaZip })).toMatch(/-c stage=prod: unknown stage/);
  });

  it('refuses a domain without a hosted zone, naming the domain', () => {
    expect(failure({ domain: 'learn.example.org', lambdaZip })).toMatch(
      /-c domain=learn\.example\.org needs the Route 53 hosted zone.*-c hostedZoneId/,
    );
    expect(
      failure({ domain: 'learn.example.org', hostedZoneId: 'Z123ABC', lambdaZip }),
    ).toMatch(/-c domain=learn\.example\.org needs the Route 53 hosted zone/);
  });

  it('refuses a domain outside its hosted zone', () => {
    expect(
      failure({ ...kDomainContext, hostedZoneName: 'example.com', lambdaZip }),
    ).toMatch(/-c domain=learn\.example\.org is not inside -c hostedZoneName=example\.com/);
  });

  it('refuses a hosted zone without a domain, and names that are not DNS names', () => {
    expect(failure({ hostedZoneId: 'Z123ABC', lambdaZip })).toMatch(/without -c domain/);
    expect(failure({ domain: 'not a name', lambdaZip })).toMatch(/-c domain=not a name: not a DNS/);
    expect(failure({ ...kDomainContext, hostedZoneId: 'abc', lambdaZip })).toMatch(
      /-c hostedZoneId=abc/,
    );
  });

  it('accepts a domain inside its zone, or the zone apex itself', () => {
    expect(settings({ ...kDomainContext, lambdaZip }).domain).toEqual({
      name: 'learn.example.org',
      hostedZoneId: 'Z0123456789EXAMPLE',
      hostedZoneName: 'example.org',
    });
    expect(settings({ ...kDomainContext, domain: 'Example.org.', lambdaZip }).domain?.name).toBe(
      'example.org',
    );
  });

  it('needs the Lambda package in both modes (the ingest function), naming the path', () => {
    const missing = path.join(kInfraDir, 'no-such-dir', 'lambda.zip');
    expect(failure({ lambdaZip: missing })).toContain(`-c lambdaZip=${missing}: no such file`);
    expect(failure({ mode: 'container', lambdaZip: missing })).toContain(
      `-c lambdaZip=${missing}: no such file`,
    );
    expect(settings({ mode: 'container', lambdaZip }).lambdaZip).toBe(lambdaZip);
  });

  it('needs a region, from -c region or the AWS CLI profile', () => {
    const values: Record<string, unknown> = { lambdaZip };
    const read = (env: NodeJS.ProcessEnv) =>
      readSettings({ tryGetContext: (key) => values[key] }, env, kInfraDir);
    expect(() => read({})).toThrow(/no region/);
    expect(read({ CDK_DEFAULT_REGION: 'eu-central-1' }).region).toBe('eu-central-1');
    expect(failure({ region: 'Ireland', lambdaZip })).toMatch(/-c region=Ireland/);
  });

  it('takes the account only from -c account, never from the credentials', () => {
    const read = settings({ lambdaZip }, { CDK_DEFAULT_ACCOUNT: '123456789012' });
    expect(read.account).toBeUndefined();
    expect(failure({ account: '1234', lambdaZip })).toMatch(/-c account=1234/);
  });

  it('reads the reserved concurrency as a whole number', () => {
    expect(settings({ reservedConcurrency: '20', lambdaZip }).reservedConcurrency).toBe(20);
    expect(failure({ reservedConcurrency: 'many', lambdaZip })).toMatch(
      /-c reservedConcurrency=many/,
    );
    expect(failure({ reservedConcurrency: 0, lambdaZip })).toMatch(/-c reservedConcurrency=0/);
  });

  it("reads the ingest function's reserved concurrency, or none (an account at its floor)", () => {
    expect(settings({ ingestConcurrency: 5, lambdaZip }).ingestConcurrency).toBe(5);
    expect(settings({ ingestConcurrency: 'none', lambdaZip }).ingestConcurrency).toBeUndefined();
    expect(failure({ ingestConcurrency: '0', lambdaZip })).toMatch(
      /-c ingestConcurrency=0: expected a whole number from 1 to 10000, or none/,
    );
  });
});

describe('xAPI, the public address and the alarm email', () => {
  const lambdaZip = dummyLambdaZip();
  const secret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:practica/lrs-AbC123';
  const xapi = { xapiEndpoint: 'https://lrs.example.org/xapi/', xapiUsername: 'practica' };

  it('takes the public address from -c publicUrl, else the domain, else none', () => {
    expect(settings({ lambdaZip }).publicUrl).toBeUndefined();
    expect(settings({ ...kDomainContext, lambdaZip }).publicUrl).toBe('https://learn.example.org');
    expect(settings({ publicUrl: 'https://d1234.cloudfront.net/', lambdaZip }).publicUrl).toBe(
      'https://d1234.cloudfront.net',
    );
  });

  it('reads the LRS, its user and the secret holding its password', () => {
    expect(
      settings({ ...kDomainContext, ...xapi, xapiPasswordSecret: secret, lambdaZip }).xapi,
    ).toEqual({
      endpoint: 'https://lrs.example.org/xapi',
      username: 'practica',
      passwordSecretArn: secret,
    });
  });

  it('refuses an LRS that is no https URL, naming the value', () => {
    for (const endpoint of [
      'http://lrs.example.org/xapi',
      'lrs.example.org',
      'https://user:pw@lrs.example.org/xapi',
      'https://lrs.example.org/xapi?key=1',
    ]) {
      expect(
        failure({
          ...kDomainContext,
          ...xapi,
          xapiEndpoint: endpoint,
          xapiPasswordSecret: secret,
          lambdaZip,
        }),
      ).toContain(`-c xapiEndpoint=${endpoint}: not the LRS's xAPI endpoint, an https:// URL`);
    }
  });

  it('refuses an LRS without its credentials, or a secret named other than by its ARN', () => {
    expect(failure({ ...kDomainContext, ...xapi, lambdaZip })).toMatch(
      /-c xapiEndpoint=https:\/\/lrs\.example\.org\/xapi needs the LRS's credentials/,
    );
    expect(
      failure({ ...kDomainContext, ...xapi, xapiPasswordSecret: 'practica/lrs', lambdaZip }),
    ).toMatch(/-c xapiPasswordSecret=practica\/lrs: not a Secrets Manager secret's complete ARN/);
    expect(failure({ xapiUsername: 'practica', lambdaZip })).toMatch(/without -c xapiEndpoint/);
  });

  it('refuses an LRS without a public address for the statements to name', () => {
    expect(failure({ ...xapi, xapiPasswordSecret: secret, lambdaZip })).toMatch(
      /needs the platform's public address.*-c publicUrl/,
    );
  });

  it('reads the alarm email, refusing what is none', () => {
    expect(settings({ alarmEmail: 'ops@example.org', lambdaZip }).alarmEmail).toBe(
      'ops@example.org',
    );
    expect(failure({ alarmEmail: 'ops', lambdaZip })).toMatch(/-c alarmEmail=ops: not an email/);
  });
});

describe('the CLI entry point (bin/practica.ts)', () => {
  it('exits 1 with the message alone, no stack trace', () => {
    const run = spawnSync(
      process.execPath,
      [
        path.join(kInfraDir, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        'bin/practica.ts',
      ],
      {
        cwd: kInfraDir,
        encoding: 'utf8',
        env: {
          ...process.env,
          CDK_CONTEXT_JSON: JSON.stringify({ mode: 'kubernetes', region: 'eu-west-1' }),
        },
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'practica infra: -c mode=kubernetes: unknown mode; use one of serverless, container',
    );
  });
});
