// Analytics from the table's stream, in both modes: attempts are stored in DynamoDB (exercise
// items, pk LEARNER#…, sk EX#course#exercise, whose `log` holds the attempts), and the table's
// stream of new images invokes a second Lambda function running the same zip, whose
// `practica lambda` records them in the PostgreSQL analytics tables in one write per batch
// (src/app/stream_ingest.h). Recording is idempotent by attempt id, so a batch may be retried or
// replayed freely. A batch that still fails after the retries is described (shard and sequence
// numbers, not the records) in a failure queue, and an alarm goes off; docs/DEPLOY.md says how
// to re-drive it.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Data } from './data';
import { kLogRetention } from './naming';
import { Network } from './network';
import {
  addVpcNetworkInterfaceAccess,
  lambdaRole,
  databaseSecretAccess,
  lambdaEnvironment,
} from './practica-runtime';
import { XapiSettings } from './settings';

// The stream read actions Lambda's event source mapping performs with the function's role.
export const kStreamActions = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
];

// Only the records that can hold attempts invoke the function: new or changed exercise items of
// a learner (the keys store::dynamodb::AttemptsInImage reads; a test compares the two). Totals,
// CONFIG and content items, and deletions (REMOVE: an account deleted with `DELETE /api/me`,
// whose analytics events the API unlinks itself), are dropped by Lambda before any invocation,
// at no cost.
export const kLearnerKeyPrefix = 'LEARNER#';
export const kExerciseKeyPrefix = 'EX#';
export const kStreamFilter = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: {
    Keys: {
      pk: { S: [{ prefix: kLearnerKeyPrefix }] },
      sk: { S: [{ prefix: kExerciseKeyPrefix }] },
    },
  },
};

// How the stream is read. A batch is at most 100 records gathered for up to 5 s: a few
// invocations a minute under load instead of one per attempt. A failing batch is split in two
// (isolating a record that can never be recorded) and retried up to 5 times, never for longer
// than a day (the stream keeps records 24 hours), then described in the failure queue.
export const kIngestBatching = {
  batchSize: 100,
  maxBatchingWindow: Duration.seconds(5),
  retryAttempts: 5,
  maxRecordAge: Duration.days(1),
};

export interface AnalyticsIngestProps {
  readonly network: Network;
  readonly data: Data;
  // The Lambda package: the API function's zip; its bootstrap answers stream batches too.
  readonly lambdaZip: string;
  // Reserved concurrency; undefined: none reserved.
  readonly reservedConcurrency?: number;
  readonly removalPolicy: RemovalPolicy;
  // PRACTICA_PUBLIC_URL: statements name activities and learners under it.
  readonly publicUrl?: string;
  // With an LRS, the function sends each batch's statements (the stream is the outbox).
  readonly xapi?: XapiSettings;
}

// What the function reads of the table's items with xAPI on, and only then: the courses'
// names and lessons, and a learner's progress in a course to tell a completion
// (xapi::Feed, src/xapi/feed.h). DescribeTable: the content and progress stores check the
// table when they open.
export const kXapiTableReadActions = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:DescribeTable',
];

export class AnalyticsIngest extends Construct {
  readonly function: lambda.Function;
  readonly mapping: lambda.EventSourceMapping;
  readonly failureQueue: sqs.Queue;
  readonly failureAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AnalyticsIngestProps) {
    super(scope, id);
    const { network, data } = props;
    const streamArn = data.table.tableStreamArn;
    if (streamArn === undefined) {
      throw new Error('analytics ingest needs the table stream (infra/lib/data.ts)');
    }

    // Nothing reads this queue by itself: an operator does, after an alarm (docs/DEPLOY.md).
    // 14 days, SQS's longest, so a message outlives a holiday.
    this.failureQueue = new sqs.Queue(this, 'FailureQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the stream mapping. No consumer ' +
        'receives from it automatically, so no message can fail here and need a further queue.',
    });

    const logGroup = new logs.LogGroup(this, 'FunctionLogs', {
      retention: kLogRetention,
      removalPolicy: props.removalPolicy,
    });
    // Written by hand (as the API function's): each statement can be read and tested.
    const role = lambdaRole(
      this,
      'FunctionRole',
      'Practica analytics ingest: its log group, the table stream, the database secret, ' +
        'the failure queue; no table items',
      logGroup,
    );
    addVpcNetworkInterfaceAccess(role);
    // The event source mapping reads the stream with this role; the records it hands the
    // function are all the function reads of the table's items.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Stream',
        actions: kStreamActions,
        resources: [streamArn],
      }),
    );
    // Nothing of the table's items otherwise: with PRACTICA_LAMBDA_HANDLER=ingest, start-up
    // opens only the analytics store (Application::OpenStreamIngest, src/app/application.cc),
    // and a batch carries the images it records. With xAPI, the statements read courses and
    // progress, and the LRS password is a secret read at start-up.
    if (props.xapi) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'XapiTableReads',
          actions: kXapiTableReadActions,
          resources: [data.table.tableArn],
        }),
      );
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'XapiPassword',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [props.xapi.passwordSecretArn],
        }),
      );
    }
    // The users and analytics stores' connection: both name this secret.
    role.addToPolicy(databaseSecretAccess(data));
    // The mapping sends the description of a batch it gives up on with the function's role.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'FailureQueue',
        actions: ['sqs:SendMessage'],
        resources: [this.failureQueue.queueArn],
      }),
    );

    this.function = new lambda.Function(this, 'Function', {
      description: 'Practica analytics ingest: table stream to PostgreSQL (practica lambda)',
      runtime: lambda.Runtime.PROVIDED_AL2023,
      architecture: lambda.Architecture.ARM_64,
      handler: 'bootstrap',
      code: lambda.Code.fromAsset(props.lambdaZip),
      // A batch is parsed and written in one transaction: light work; 512 MB still gives the
      // cold start's TLS handshakes (Secrets Manager, DynamoDB, PostgreSQL) a fair CPU share.
      memorySize: 512,
      // Far above a batch's write; a batch still running here is stuck, and is retried. With
      // xAPI, the LRS's answer is part of the batch, and may be slower.
      timeout: Duration.seconds(props.xapi ? 180 : 60),
      role,
      logGroup,
      // Caps what ingest takes of the account's concurrency and of the database's connections
      // (each instance holds one per PostgreSQL store: users and analytics).
      reservedConcurrentExecutions: props.reservedConcurrency,
      vpc: network.vpc,
      vpcSubnets: network.privateSubnets,
      securityGroups: [network.computeSecurityGroup],
      // The API function's store settings, and the handler that answers stream batches only.
      environment: lambdaEnvironment(data, {
        PRACTICA_LAMBDA_HANDLER: 'ingest',
        ...(props.publicUrl ? { PRACTICA_PUBLIC_URL: props.publicUrl } : {}),
        ...(props.xapi
          ? {
              PRACTICA_XAPI_ENDPOINT: props.xapi.endpoint,
              PRACTICA_XAPI_USERNAME: props.xapi.username,
              PRACTICA_XAPI_PASSWORD_SECRET: props.xapi.passwordSecretArn,
            }
          : {}),
      }),
    });

    this.mapping = new lambda.EventSourceMapping(this, 'Stream', {
      target: this.function,
      eventSourceArn: streamArn,
      // Attempts stored before the function existed (up to the stream's 24 hours) count too.
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      ...kIngestBatching,
      bisectBatchOnError: true,
      // practica answers {"batchItemFailures":[]} or fails the whole batch.
      reportBatchItemFailures: true,
      filters: [lambda.FilterCriteria.filter(kStreamFilter)],
      // The queue's ARN alone: the send right is the role's FailureQueue statement above.
      onFailure: { bind: () => ({ destination: this.failureQueue.queueArn }) },
    });

    // A discarded batch means analytics miss attempts until someone re-drives it. Observability
    // (observability.ts) sends it to the alarm topic with the others.
    this.failureAlarm = new cloudwatch.Alarm(this, 'FailureAlarm', {
      alarmDescription:
        'Practica analytics ingest gave up on a stream batch: analytics miss attempts until ' +
        'it is re-driven (docs/DEPLOY.md, "Analytics ingest failures")',
      metric: this.failureQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
