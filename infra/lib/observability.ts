// What an operator watches (issue 7): one SNS topic that every alarm notifies (with an optional
// email subscription), the alarms, one CloudWatch dashboard, and the logs that only exist when
// asked for (the load balancer's access logs, in container mode). practica's own metrics are
// Embedded Metric Format lines in its log stream (src/app/request_metrics.h): Lambda turns them
// into metrics in the "Practica" namespace by itself; in container mode, metric filters on the
// tasks' log group do it for the counts (the awslogs driver does not send the EMF header), and
// latency comes from the load balancer.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { AnalyticsIngest } from './analytics-ingest';
import { ContainerApi } from './container-api';
import { Data } from './data';
import { ServerlessApi } from './serverless-api';

// practica's metrics (src/app/request_metrics.h): namespace, the Mode dimension's values, and the
// count metrics a line carries.
export const kMetricsNamespace = 'Practica';
export const kCountMetrics = [
  'Requests',
  'ClientErrors',
  'ServerErrors',
  'AttemptsGraded',
  'SignIns',
] as const;

// The thresholds, in one place so that the tests and docs/DEPLOY.md can name them.
export const kThresholds = {
  // Share of API requests answered 5xx over 5 minutes, in percent.
  serverErrorPercent: 5,
  // The API's p99 latency over 5 minutes, in milliseconds.
  latencyP99Ms: 3000,
  // The API function's p99 duration: 80 % of its 29 s timeout.
  functionDurationP99Ms: 23_000,
  // RDS: average CPU over 15 minutes, percent; free storage, bytes (of 20 GB allocated).
  databaseCpuPercent: 80,
  databaseFreeStorageBytes: 2 * 1024 ** 3,
  // How far behind the stream's newest record the ingest function may fall, in milliseconds.
  ingestIteratorAgeMs: 10 * 60 * 1000,
};

export type ApiCompute =
  | { readonly mode: 'serverless'; readonly api: ServerlessApi }
  | { readonly mode: 'container'; readonly api: ContainerApi };

export interface ObservabilityProps {
  readonly compute: ApiCompute;
  readonly data: Data;
  readonly ingest: AnalyticsIngest;
  // Subscribed to the alarm topic (it must confirm the subscription from the email AWS sends).
  readonly alarmEmail?: string;
  readonly removalPolicy: RemovalPolicy;
}

export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];
  // Container mode: the load balancer's access logs.
  readonly accessLogBucket?: s3.Bucket;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { compute, data, ingest } = props;

    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: 'Practica alarms',
      enforceSSL: true,
    });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'CloudWatch alarms can publish to an encrypted topic only through a customer managed ' +
        'KMS key that grants CloudWatch; the messages carry alarm names and states, nothing ' +
        'of learners, so the key would cost without protecting anything.',
    });
    if (props.alarmEmail) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    const five = Duration.minutes(5);
    const api =
      compute.mode === 'serverless' ? serverlessMetrics(compute.api) : albMetrics(compute.api);
    if (compute.mode === 'container') {
      this.accessLogBucket = accessLogs(this, compute.api.loadBalancer, props.removalPolicy);
      emfMetricFilters(this, compute.api);
    }

    // The API: errors, latency, and (serverless) the function itself.
    this.alarm('ApiServerErrorRate', {
      description: `More than ${kThresholds.serverErrorPercent} % of API requests answered 5xx`,
      metric: api.serverErrorPercent,
      threshold: kThresholds.serverErrorPercent,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    this.alarm('ApiLatencyP99', {
      description: `API p99 latency above ${kThresholds.latencyP99Ms} ms`,
      metric: api.latencyP99,
      threshold: api.latencyP99Threshold,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    const functions: [string, lambda.Function][] = [
      ['Ingest', ingest.function],
    ];
    if (compute.mode === 'serverless') functions.unshift(['Api', compute.api.function]);
    for (const [name, fn] of functions) {
      this.alarm(`${name}FunctionErrors`, {
        description: `The ${name.toLowerCase()} function failed invocations`,
        metric: fn.metricErrors({ period: five, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
      });
      this.alarm(`${name}FunctionThrottles`, {
        description: `The ${name.toLowerCase()} function was throttled (concurrency exhausted)`,
        metric: fn.metricThrottles({ period: five, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
      });
    }
    if (compute.mode === 'serverless') {
      this.alarm('ApiFunctionDurationP99', {
        description:
          `API function p99 duration above ${kThresholds.functionDurationP99Ms} ms ` +
          '(timeout 29 s)',
        metric: compute.api.function.metricDuration({ period: five, statistic: 'p99' }),
        threshold: kThresholds.functionDurationP99Ms,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      });
    }

    // DynamoDB: any throttled read or write (on demand, so this is a partition or account limit).
    const tableThrottles = new cloudwatch.MathExpression({
      label: 'Throttled reads and writes',
      expression: 'FILL(r, 0) + FILL(w, 0)',
      usingMetrics: {
        r: data.table.metric('ReadThrottleEvents', { statistic: cloudwatch.Stats.SUM }),
        w: data.table.metric('WriteThrottleEvents', { statistic: cloudwatch.Stats.SUM }),
      },
      period: five,
    });
    this.alarm('TableThrottles', {
      description: 'DynamoDB throttled reads or writes of the table',
      metric: tableThrottles,
      threshold: 0,
    });

    // PostgreSQL.
    const database = data.database;
    this.alarm('DatabaseCpu', {
      description: `PostgreSQL CPU above ${kThresholds.databaseCpuPercent} % for 15 minutes`,
      metric: database.metricCPUUtilization({ period: Duration.minutes(15) }),
      threshold: kThresholds.databaseCpuPercent,
    });
    this.alarm('DatabaseFreeStorage', {
      description: 'PostgreSQL has less than 2 GiB of storage left (autoscaling stops at 100 GB)',
      metric: database.metricFreeStorageSpace({
        period: five,
        statistic: cloudwatch.Stats.MINIMUM,
      }),
      threshold: kThresholds.databaseFreeStorageBytes,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    });

    // Analytics ingest: falling behind the stream, and (its own alarm) batches given up on.
    const iteratorAge = ingest.function.metric('IteratorAge', {
      period: five,
      statistic: cloudwatch.Stats.MAXIMUM,
    });
    this.alarm('IngestIteratorAge', {
      description:
        'Analytics ingest is more than 10 minutes behind the table stream ' +
        '(records expire after 24 h)',
      metric: iteratorAge,
      threshold: kThresholds.ingestIteratorAgeMs,
      evaluationPeriods: 2,
    });
    ingest.failureAlarm.addAlarmAction(new actions.SnsAction(this.topic));
    ingest.failureAlarm.addOkAction(new actions.SnsAction(this.topic));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
    });
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });
    const practica = (name: string, statistic: string = cloudwatch.Stats.SUM) =>
      new cloudwatch.Metric({
        namespace: kMetricsNamespace,
        metricName: name,
        dimensionsMap: { Mode: compute.mode === 'serverless' ? 'lambda' : 'server' },
        statistic,
        period: five,
      });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...this.alarms, ingest.failureAlarm],
        width: 24,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      graph('API requests and 5xx', [api.requests], [api.serverErrors]),
      graph('API latency (ms)', [api.latencyP50Ms, api.latencyP99Ms]),
      graph(
        'practica: answers, attempts, sign-ins',
        [practica('Requests'), practica('ClientErrors'), practica('ServerErrors')],
        [practica('AttemptsGraded'), practica('SignIns')],
      ),
    );
    if (compute.mode === 'serverless') {
      const fn = compute.api.function;
      this.dashboard.addWidgets(
        graph('API function errors and throttles', [
          fn.metricErrors({ period: five }),
          fn.metricThrottles({ period: five }),
        ]),
        graph('API function duration (ms)', [
          fn.metricDuration({ period: five, statistic: 'p50' }),
          fn.metricDuration({ period: five, statistic: 'p99' }),
        ]),
        graph('API function concurrency', [
          fn.metric('ConcurrentExecutions', { period: five, statistic: cloudwatch.Stats.MAXIMUM }),
        ]),
      );
    } else {
      const service = compute.api.service;
      this.dashboard.addWidgets(
        graph('Tasks: CPU and memory (%)', [
          service.metricCpuUtilization({ period: five }),
          service.metricMemoryUtilization({ period: five }),
        ]),
        graph('Load balancer: target 5xx and its own 5xx', [
          compute.api.loadBalancer.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
            period: five,
          }),
          compute.api.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
            period: five,
          }),
        ]),
        graph('Load balancer: healthy targets', [
          compute.api.loadBalancer.metrics.custom('HealthyHostCount', {
            period: five,
            statistic: cloudwatch.Stats.MINIMUM,
          }),
        ]),
      );
    }
    this.dashboard.addWidgets(
      graph('DynamoDB: throttles', [tableThrottles]),
      graph('DynamoDB: consumed capacity', [
        data.table.metricConsumedReadCapacityUnits({ period: five }),
        data.table.metricConsumedWriteCapacityUnits({ period: five }),
      ]),
      graph(
        'PostgreSQL: CPU (%) and connections',
        [database.metricCPUUtilization({ period: five })],
        [database.metricDatabaseConnections({ period: five })],
      ),
    );
    this.dashboard.addWidgets(
      graph('PostgreSQL: free storage (bytes)', [
        database.metricFreeStorageSpace({ period: five, statistic: cloudwatch.Stats.MINIMUM }),
      ]),
      graph('Ingest: iterator age (ms) and errors', [iteratorAge], [
        ingest.function.metricErrors({ period: five }),
      ]),
      graph('Ingest: failure queue (messages)', [
        ingest.failureQueue.metricApproximateNumberOfMessagesVisible({
          period: five,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
      ]),
    );
  }

  // An alarm that notifies the topic when it goes off and when it recovers. Missing data is
  // fine: no traffic, no errors.
  private alarm(
    id: string,
    props: {
      description: string;
      metric: cloudwatch.IMetric;
      threshold: number;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
      comparisonOperator?: cloudwatch.ComparisonOperator;
    },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: `Practica: ${props.description}`,
      metric: props.metric,
      threshold: props.threshold,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      datapointsToAlarm: props.datapointsToAlarm,
      comparisonOperator:
        props.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

interface ApiMetrics {
  requests: cloudwatch.IMetric;
  serverErrors: cloudwatch.IMetric;
  serverErrorPercent: cloudwatch.IMetric;
  latencyP50Ms: cloudwatch.IMetric;
  latencyP99Ms: cloudwatch.IMetric;
  // What the p99 alarm compares, and its threshold in that metric's unit.
  latencyP99: cloudwatch.IMetric;
  latencyP99Threshold: number;
}

// The HTTP API's own metrics: Count, 5xx, Latency (milliseconds).
function serverlessMetrics(api: ServerlessApi): ApiMetrics {
  const period = Duration.minutes(5);
  const requests = api.httpApi.metricCount({ period, statistic: cloudwatch.Stats.SUM });
  const serverErrors = api.httpApi.metricServerError({ period, statistic: cloudwatch.Stats.SUM });
  const latencyP99 = api.httpApi.metricLatency({ period, statistic: 'p99' });
  return {
    requests,
    serverErrors,
    serverErrorPercent: new cloudwatch.MathExpression({
      label: '5xx (% of requests)',
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { requests, errors: serverErrors },
      period,
    }),
    latencyP50Ms: api.httpApi.metricLatency({ period, statistic: 'p50' }),
    latencyP99Ms: latencyP99,
    latencyP99,
    latencyP99Threshold: kThresholds.latencyP99Ms,
  };
}

// The load balancer's: RequestCount, the targets' and its own 5xx, TargetResponseTime (seconds).
function albMetrics(api: ContainerApi): ApiMetrics {
  const period = Duration.minutes(5);
  const lb = api.loadBalancer.metrics;
  const sum = { period, statistic: cloudwatch.Stats.SUM };
  const targetErrors = () => lb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, sum);
  const elbErrors = () => lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, sum);
  const requests = lb.requestCount({ period, statistic: cloudwatch.Stats.SUM });
  const serverErrors = new cloudwatch.MathExpression({
    label: '5xx (targets and load balancer)',
    expression: 'FILL(target, 0) + FILL(elb, 0)',
    usingMetrics: {
      target: targetErrors(),
      elb: elbErrors(),
    },
    period,
  });
  const seconds = (statistic: string) => lb.targetResponseTime({ period, statistic });
  const inMs = (statistic: string) =>
    new cloudwatch.MathExpression({
      label: `Target response time ${statistic} (ms)`,
      expression: `1000 * seconds${statistic}`,
      usingMetrics: { [`seconds${statistic}`]: seconds(statistic) },
      period,
    });
  return {
    requests,
    serverErrors,
    serverErrorPercent: new cloudwatch.MathExpression({
      label: '5xx (% of requests)',
      expression: 'IF(requests > 0, 100 * (FILL(target, 0) + FILL(elb, 0)) / requests, 0)',
      usingMetrics: {
        requests,
        target: targetErrors(),
        elb: elbErrors(),
      },
      period,
    }),
    latencyP50Ms: inMs('p50'),
    latencyP99Ms: inMs('p99'),
    latencyP99: seconds('p99'),
    latencyP99Threshold: kThresholds.latencyP99Ms / 1000,
  };
}

// The load balancer's access logs, in a bucket of their own: SSE-S3 (the only encryption ALB log
// delivery supports), private, TLS only, 90 days.
function accessLogs(
  scope: Construct,
  loadBalancer: elbv2.ApplicationLoadBalancer,
  removalPolicy: RemovalPolicy,
): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'LoadBalancerLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ expiration: Duration.days(90) }],
    removalPolicy,
    autoDeleteObjects: false,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      "This bucket holds the load balancer's access logs and nothing else; logging the " +
      'access to it would only record the log deliveries themselves.',
  });
  loadBalancer.logAccessLogs(bucket, 'alb');
  return bucket;
}

// Container mode: the tasks' EMF lines become the same "Practica" count metrics through metric
// filters on their log group (Lambda extracts them itself).
function emfMetricFilters(scope: Construct, api: ContainerApi): void {
  const logGroup = api.node.findChild('Logs') as logs.LogGroup;
  for (const name of kCountMetrics) {
    new logs.MetricFilter(scope, `Emf${name}`, {
      logGroup,
      filterPattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.Mode', '=', 'server'),
        logs.FilterPattern.exists(`$.${name}`),
      ),
      metricNamespace: kMetricsNamespace,
      metricName: name,
      metricValue: `$.${name}`,
      dimensions: { Mode: '$.Mode' },
      unit: cloudwatch.Unit.COUNT,
    });
  }
}
