// Serverless API: HTTP API → one arm64 Lambda on provided.al2023 running the zip's bootstrap,
// pointed at the table and the database secret by the variables practica reads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { kTableActions } from '../lib/practica-runtime';
import { kVariants, resourcesOf, synthesize } from './synth';

const dev = synthesize(kVariants.serverlessDev);
const production = synthesize(kVariants.serverlessProduction);
const api = dev.templates.api;

// The API function and its role (the stack also holds the ingest function: ingest.test.ts).
const apiFunctions = (template = api) =>
  resourcesOf(template, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('ApiFunction'));

// A value imported from another stack's export whose name matches `pattern`: as a matcher of
// aws-cdk-lib/assertions (importing) and of vitest's expect (imported).
const importing = (pattern: string) => ({ 'Fn::ImportValue': Match.stringLikeRegexp(pattern) });
const imported = (pattern: string) => ({ 'Fn::ImportValue': expect.stringMatching(pattern) });

describe('the function', () => {
  it('runs the zip on provided.al2023, arm64, in the isolated subnets', () => {
    api.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'provided.al2023',
      Architectures: ['arm64'],
      Handler: 'bootstrap',
      Timeout: 29,
      VpcConfig: {
        SubnetIds: [importing('privateSubnet1'), importing('privateSubnet2')],
        SecurityGroupIds: [importing('NetworkCompute')],
      },
    });
    // This one, the analytics ingest function, the admin commands' function and the one that
    // runs migrate on deploy; nothing else (no CDK helper functions).
    expect(apiFunctions()).toHaveLength(1);
    const functionIds = resourcesOf(api, 'AWS::Lambda::Function').map(([id]) => id);
    expect(functionIds.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'AdminFunction',
      'AdminMigrateOnDeploy',
      'ApiFunction',
      'IngestFunction',
    ]);
  });

  it('takes its code from the zip given with -c lambdaZip, uploaded as it is', () => {
    const [[, fn]] = apiFunctions() as any;
    const key: string = fn.Properties.Code.S3Key;
    const manifest = JSON.parse(
      fs.readFileSync(path.join(dev.outdir, `${dev.stacks.api.artifactId}.assets.json`), 'utf8'),
    );
    const asset = manifest.files[key.replace(/\.zip$/, '')];
    expect(asset.source).toEqual({ path: expect.stringMatching(/\.zip$/), packaging: 'file' });
    expect(fs.readFileSync(path.join(dev.outdir, asset.source.path))).toEqual(
      fs.readFileSync(dev.settings.lambdaZip),
    );
  });

  it('points practica at the table and the database secret, by their real variable names', () => {
    const [[, fn]] = apiFunctions() as any;
    const variables = fn.Properties.Environment.Variables;
    const joined = (prefix: string, exported: string) => ({
      'Fn::Join': ['', [prefix, imported(exported)]],
    });
    expect(variables).toEqual({
      PRACTICA_CONTENT_STORE: joined('dynamodb:', 'RefDataTable'),
      PRACTICA_PROGRESS_STORE: joined('dynamodb:', 'RefDataTable'),
      // Users and analytics in the one database, through its secret.
      PRACTICA_USER_STORE: joined('postgres:secret:', 'RefDataDatabaseSecretAttachment'),
      PRACTICA_ANALYTICS_STORE: joined('postgres:secret:', 'RefDataDatabaseSecretAttachment'),
      PRACTICA_LOG_LEVEL: 'info',
      PRACTICA_DATA_DIR: '/tmp',
      PRACTICA_SEED_CONTENT: '',
      // One key ring for every instance; /api/* only with CloudFront's header; the client's
      // address is the one CloudFront appended to X-Forwarded-For.
      PRACTICA_KEY_SECRET: imported('RefDataTokenSigningKey'),
      PRACTICA_ORIGIN_SECRET: imported('RefDataOriginSecret'),
      PRACTICA_TRUSTED_PROXIES: '1',
      // CloudWatch metrics (observability.ts); no PRACTICA_PUBLIC_URL without a domain.
      PRACTICA_METRICS: 'emf',
    });
    const [[, withDomain]] = apiFunctions(production.templates.api) as any;
    expect(withDomain.Properties.Environment.Variables.PRACTICA_PUBLIC_URL).toBe(
      'https://learn.example.org',
    );
  });

  it('reserves concurrency only when -c reservedConcurrency asks', () => {
    const [[, devFunction]] = apiFunctions() as any;
    const [[, productionFunction]] = apiFunctions(production.templates.api) as any;
    expect(devFunction.Properties.ReservedConcurrentExecutions).toBe(5);
    expect(productionFunction.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('logs to its own log group, kept 30 days', () => {
    const logGroups = api.findResources('AWS::Logs::LogGroup');
    const logGroupId = Object.keys(logGroups).find((id) => id.startsWith('ApiFunctionLogs'));
    expect(logGroups[logGroupId!]!.Properties.RetentionInDays).toBe(30);
    api.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: logGroupId } },
    });
  });
});

describe("the function's role (least privilege)", () => {
  const [[roleId, role]] = resourcesOf(api, 'AWS::IAM::Role').filter(([id]) =>
    id.startsWith('ApiFunctionRole'),
  ) as any;
  const policies = resourcesOf(api, 'AWS::IAM::Policy').filter(([, policy]) =>
    JSON.stringify(policy.Properties!.Roles).includes(roleId),
  );
  const statements: any[] = policies.flatMap(
    ([, policy]) => policy.Properties!.PolicyDocument.Statement,
  );
  const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid);

  it('has no managed policy: every right is a statement written here', () => {
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' } }),
    ]);
    expect(statements.map((statement) => statement.Sid).sort()).toEqual(
      ['DatabaseSecret', 'EdgeSecrets', 'Logs', 'Table', 'VpcNetworkInterfaces'].sort(),
    );
  });

  it('may do exactly the DynamoDB calls the adapters make, on the table and its index', () => {
    expect(bySid('Table').Action).toEqual(kTableActions);
    expect(bySid('Table').Action).toEqual(
      expect.not.arrayContaining(['dynamodb:Scan', 'dynamodb:CreateTable', 'dynamodb:*']),
    );
    expect(bySid('Table').Resource).toEqual([
      imported('DataTable.*Arn'),
      { 'Fn::Join': ['', [imported('DataTable.*Arn'), '/index/due']] },
    ]);
  });

  it('may read the database secret', () => {
    expect(bySid('DatabaseSecret')).toMatchObject({
      Action: 'secretsmanager:GetSecretValue',
      Resource: imported('RefDataDatabaseSecretAttachment'),
    });
  });

  it('may read the signing key ring and the origin secret, and write none of them', () => {
    expect(bySid('EdgeSecrets')).toMatchObject({
      Action: 'secretsmanager:GetSecretValue',
      Resource: [imported('RefDataTokenSigningKey'), imported('RefDataOriginSecret')],
    });
  });

  it('writes only to its own log group', () => {
    expect(bySid('Logs')).toMatchObject({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ApiFunctionLogs/), 'Arn'] },
    });
  });
});

describe('the HTTP API', () => {
  it('sends every route to the function with payload format 2.0', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    api.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
    api.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });

  it('writes JSON access logs to a log group with a retention', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
        Format: Match.serializedJson(Match.objectLike({ requestId: '$context.requestId' })),
      },
    });
  });

  it('is the origin of /api/* in CloudFront, over HTTPS with TLS 1.2', () => {
    dev.templates.web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: Match.arrayWith([
          Match.objectLike({
            DomainName: {
              'Fn::Join': ['', Match.arrayWith([importing('RefApiHttpApi')])],
            },
            CustomOriginConfig: Match.objectLike({
              OriginProtocolPolicy: 'https-only',
              OriginSSLProtocols: ['TLSv1.2'],
            }),
          }),
        ]),
      }),
    });
  });
});
