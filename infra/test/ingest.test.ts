// Analytics ingest, in both modes: the table's stream → a second function from the same zip →
// PostgreSQL; a failure queue for batches given up on, with an alarm; a role that reads the
// stream and nothing of the table's items.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  kExerciseKeyPrefix,
  kLearnerKeyPrefix,
  kStreamActions,
  kStreamFilter,
} from '../lib/analytics-ingest';
import { kVpcNetworkInterfaceActions } from '../lib/practica-runtime';
import { kDefaultIngestConcurrency } from '../lib/settings';
import { kVariants, repositoryFile, resourcesOf, Synthesis, synthesize } from './synth';

const imported = (pattern: string) => ({ 'Fn::ImportValue': expect.stringMatching(pattern) });
const joined = (prefix: string, exported: string) => ({
  'Fn::Join': ['', [prefix, imported(exported)]],
});

// The one resource of `type` whose logical id starts with `prefix`, as [id, resource].
function only(template: Template, type: string, prefix: string): [string, any] {
  const found = resourcesOf(template, type).filter(([id]) => id.startsWith(prefix));
  expect(found.map(([id]) => id), `${type} ${prefix}*`).toHaveLength(1);
  return found[0]!;
}

// The Allow statements of the policies attached to the role `roleId`.
function roleStatements(template: Template, roleId: string): any[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties!.Roles).includes(roleId))
    .flatMap(([, policy]) => policy.Properties!.PolicyDocument.Statement);
}

const variants = Object.entries(kVariants).map(
  ([name, context]) => [name, synthesize(context)] as [string, Synthesis],
);

describe.each(variants)('%s', (_name, synthesis) => {
  const api = synthesis.templates.api;
  const [functionId, fn] = only(api, 'AWS::Lambda::Function', 'IngestFunction');
  const [roleId, role] = only(api, 'AWS::IAM::Role', 'IngestFunctionRole');
  const [queueId, queue] = only(api, 'AWS::SQS::Queue', 'IngestFailureQueue');
  const [, mapping] = only(api, 'AWS::Lambda::EventSourceMapping', 'IngestStream');
  const statements = roleStatements(api, roleId);
  const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid);

  describe('the function', () => {
    it('runs the zip on provided.al2023, arm64, in the isolated subnets, compute group', () => {
      expect(fn.Properties).toMatchObject({
        Runtime: 'provided.al2023',
        Architectures: ['arm64'],
        Handler: 'bootstrap',
        Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
        VpcConfig: {
          SubnetIds: [imported('privateSubnet1'), imported('privateSubnet2')],
          SecurityGroupIds: [imported('NetworkCompute')],
        },
      });
    });

    it('takes its code from the zip given with -c lambdaZip, in this mode too', () => {
      const manifest = JSON.parse(
        fs.readFileSync(
          path.join(synthesis.outdir, `${synthesis.stacks.api.artifactId}.assets.json`),
          'utf8',
        ),
      );
      const asset = manifest.files[fn.Properties.Code.S3Key.replace(/\.zip$/, '')];
      expect(asset.source.packaging).toBe('file');
      expect(fs.readFileSync(path.join(synthesis.outdir, asset.source.path))).toEqual(
        fs.readFileSync(synthesis.settings.lambdaZip),
      );
    });

    it("has the API function's stores, and answers stream batches only", () => {
      const variables = fn.Properties.Environment.Variables;
      expect(variables).toEqual({
        PRACTICA_CONTENT_STORE: joined('dynamodb:', 'RefDataTable'),
        PRACTICA_PROGRESS_STORE: joined('dynamodb:', 'RefDataTable'),
        PRACTICA_USER_STORE: joined('postgres:secret:', 'RefDataDatabaseSecretAttachment'),
        PRACTICA_ANALYTICS_STORE: joined('postgres:secret:', 'RefDataDatabaseSecretAttachment'),
        PRACTICA_LOG_LEVEL: 'info',
        PRACTICA_DATA_DIR: '/tmp',
        PRACTICA_SEED_CONTENT: '',
        PRACTICA_LAMBDA_HANDLER: 'ingest',
        ...(synthesis.settings.publicUrl
          ? { PRACTICA_PUBLIC_URL: synthesis.settings.publicUrl }
          : {}),
      });
      if (synthesis.settings.mode === 'serverless') {
        const [, apiFunction] = only(api, 'AWS::Lambda::Function', 'ApiFunction');
        const stores = (all: Record<string, unknown>) =>
          Object.fromEntries(Object.entries(all).filter(([key]) => key.endsWith('_STORE')));
        expect(stores(variables)).toEqual(stores(apiFunction.Properties.Environment.Variables));
      }
    });

    it('starts after the deploy has migrated the schema', () => {
      const [migrationId] = only(api, 'Custom::PracticaMigrate', 'AdminMigration');
      expect(api.toJSON().Resources[functionId].DependsOn).toContain(migrationId);
    });

    it("reserves a small concurrency: ingest cannot take the API's nor the database's", () => {
      expect(fn.Properties.ReservedConcurrentExecutions).toBe(kDefaultIngestConcurrency);
      expect(kDefaultIngestConcurrency).toBeLessThanOrEqual(2);
    });

    it('logs to its own log group, kept 30 days', () => {
      const [logsId, logGroup] = only(api, 'AWS::Logs::LogGroup', 'IngestFunctionLogs');
      expect(logGroup.Properties.RetentionInDays).toBe(30);
      expect(fn.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logsId } });
    });
  });

  describe('the event source mapping', () => {
    it('reads the table stream from the oldest record, in batches, with bounded retries', () => {
      expect(mapping.Properties).toMatchObject({
        EventSourceArn: imported('DataTable.*StreamArn'),
        FunctionName: { Ref: functionId },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 5,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        MaximumRecordAgeInSeconds: 86_400,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(mapping.Properties.ParallelizationFactor).toBeUndefined();
    });

    it('sends what it gives up on to the failure queue', () => {
      expect(mapping.Properties.DestinationConfig).toEqual({
        OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      });
    });

    it('is invoked only for new or changed exercise items of learners', () => {
      const filters = mapping.Properties.FilterCriteria.Filters;
      expect(filters).toHaveLength(1);
      expect(JSON.parse(filters[0].Pattern)).toEqual({
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: {
          Keys: {
            pk: { S: [{ prefix: 'LEARNER#' }] },
            sk: { S: [{ prefix: 'EX#' }] },
          },
        },
      });
    });

    it('is created after the role may read the stream (the function waits for the policy)', () => {
      const [policyId] = only(api, 'AWS::IAM::Policy', 'IngestFunctionRoleDefaultPolicy');
      expect(api.toJSON().Resources[functionId].DependsOn).toContain(policyId);
    });
  });

  describe("the function's role (least privilege)", () => {
    it('has no managed policy, only the statements written in analytics-ingest.ts', () => {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' } }),
      ]);
      expect(statements.map((statement) => statement.Sid).sort()).toEqual([
        'DatabaseSecret',
        'FailureQueue',
        'Logs',
        'Stream',
        'VpcNetworkInterfaces',
      ]);
      for (const statement of statements) expect(statement.Effect).toBe('Allow');
    });

    it('reads the stream, on the stream only', () => {
      expect(bySid('Stream')).toMatchObject({
        Action: kStreamActions,
        Resource: imported('DataTable.*StreamArn'),
      });
    });

    it('may touch nothing of the table but its stream: the ingest start-up opens no table', () => {
      const dynamodb = statements
        .flatMap((statement) => [statement.Action].flat())
        .filter((action: string) => action.startsWith('dynamodb:'))
        .sort();
      expect(dynamodb).toEqual([...kStreamActions].sort());
    });

    it('reads the database secret, writes its own log group, sends to its own queue', () => {
      expect(bySid('DatabaseSecret')).toMatchObject({
        Action: 'secretsmanager:GetSecretValue',
        Resource: imported('RefDataDatabaseSecretAttachment'),
      });
      expect(bySid('Logs')).toMatchObject({
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^IngestFunctionLogs/), 'Arn'] },
      });
      expect(bySid('FailureQueue')).toMatchObject({
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      });
    });

    it('uses `*` only for the VPC network-interface actions', () => {
      const starred = statements.filter((statement) => [statement.Resource].flat().includes('*'));
      expect(starred).toEqual([
        expect.objectContaining({
          Sid: 'VpcNetworkInterfaces',
          Action: kVpcNetworkInterfaceActions,
        }),
      ]);
      for (const statement of statements) {
        for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
      }
    });
  });

  describe('the failure queue', () => {
    it('is encrypted, TLS-only and keeps messages 14 days', () => {
      expect(queue.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      const [, policy] = only(api, 'AWS::SQS::QueuePolicy', 'IngestFailureQueuePolicy');
      expect(policy.Properties.Queues).toEqual([{ Ref: queueId }]);
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    });

    it('is kept in production and goes with the stack in dev', () => {
      expect(queue.DeletionPolicy).toBe(
        synthesis.settings.stage === 'production' ? 'Retain' : 'Delete',
      );
    });

    it('raises an alarm as soon as a message is in it', () => {
      const [, alarm] = only(api, 'AWS::CloudWatch::Alarm', 'IngestFailureAlarm');
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Statistic: 'Maximum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      // Into the one alarm topic, going off and coming back (observability.ts).
      const [topicId] = only(api, 'AWS::SNS::Topic', 'ObservabilityAlarms');
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    });
  });
});

describe('PRACTICA_ANALYTICS_STORE', () => {
  it('points every practica compute of every variant at the users database', () => {
    for (const [name, synthesis] of variants) {
      const api = synthesis.templates.api;
      const environments: Record<string, any>[] = [
        ...resourcesOf(api, 'AWS::Lambda::Function').map(
          ([, fn]) => fn.Properties!.Environment.Variables,
        ),
        ...resourcesOf(api, 'AWS::ECS::TaskDefinition').flatMap(([, task]) =>
          task.Properties!.ContainerDefinitions.map((container: any) =>
            Object.fromEntries(
              container.Environment.map((entry: any) => [entry.Name, entry.Value]),
            ),
          ),
        ),
      ];
      // serverless: the API, ingest and admin functions; container: the task, the ingest and
      // admin functions. (The migrate-on-deploy function runs no practica.)
      const practica = environments.filter((variables) => variables?.PRACTICA_USER_STORE);
      expect(practica, name).toHaveLength(3);
      for (const variables of practica) {
        expect(variables.PRACTICA_ANALYTICS_STORE, name).toEqual(
          joined('postgres:secret:', 'RefDataDatabaseSecretAttachment'),
        );
        expect(variables.PRACTICA_ANALYTICS_STORE, name).toEqual(variables.PRACTICA_USER_STORE);
      }
    }
  });
});

describe('what the infrastructure assumes of practica', () => {
  it('filters on the keys the ingest handler reads attempts from', () => {
    const progress = repositoryFile('src/store/dynamodb/dynamodb_progress_store.cc');
    const reader = /AttemptsInImage\(const Item& image\) \{([\s\S]*?)\n\}/.exec(progress);
    expect(reader, 'AttemptsInImage not found').not.toBeNull();
    expect(reader![1]).toContain(`kLearner = "${kLearnerKeyPrefix}"`);
    expect(reader![1]).toContain(`Str(image, "sk").starts_with("${kExerciseKeyPrefix}")`);
    expect(kStreamFilter.dynamodb.Keys.pk.S).toEqual([{ prefix: kLearnerKeyPrefix }]);
    expect(kStreamFilter.dynamodb.Keys.sk.S).toEqual([{ prefix: kExerciseKeyPrefix }]);
  });

  it('opens the table stores with DescribeTable alone (the admin function, xAPI reads)', () => {
    const table = repositoryFile('src/store/dynamodb/table.cc');
    const check = /Status CheckTable\([^)]*\) \{([\s\S]*?)\n\}/.exec(table);
    expect(check, 'CheckTable not found').not.toBeNull();
    const described = /Result<json::object> Describe\([^)]*\) \{([\s\S]*?)\n\}/.exec(table);
    expect(described![1]).toContain('"DescribeTable"');
    expect(check![1]).not.toMatch(/client\.(Call|GetItem|Query)/);
    for (const store of ['dynamodb_content_store.cc', 'dynamodb_progress_store.cc']) {
      const source = repositoryFile(`src/store/dynamodb/${store}`);
      const open = /::Open\([\s\S]*?\n\}/.exec(source);
      expect(open, `${store}: Open not found`).not.toBeNull();
      expect(open![0]).toContain('CheckTable(');
      expect(open![0]).not.toMatch(/client->(Call|GetItem|Query)/);
    }
  });
});
