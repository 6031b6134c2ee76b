// Observability (observability.ts): every alarm notifies the one topic, the dashboard exists and
// shows each part of the system, practica reports its own metrics, PostgreSQL's log is exported
// and kept a finite time, and the load balancer's access logs land in an encrypted bucket.
import { describe, expect, it } from 'vitest';
import { kCountMetrics, kMetricsNamespace, kThresholds } from '../lib/observability';
import { kDomainContext, kVariants, resourcesOf, Synthesis, synthesize } from './synth';

const variants = Object.entries(kVariants).map(
  ([name, context]) => [name, synthesize(context)] as [string, Synthesis],
);

const topicOf = (synthesis: Synthesis) => {
  const topics = resourcesOf(synthesis.templates.api, 'AWS::SNS::Topic');
  expect(topics).toHaveLength(1);
  return topics[0]![0];
};

const alarmsOf = (synthesis: Synthesis): Record<string, any>[] =>
  resourcesOf(synthesis.templates.api, 'AWS::CloudWatch::Alarm').map(([id, alarm]) => ({
    id,
    ...alarm.Properties!,
  }));

// The alarm whose logical id starts with `prefix`.
const alarm = (synthesis: Synthesis, prefix: string) => {
  const found = alarmsOf(synthesis).filter((a) => String(a.id).startsWith(prefix));
  expect(found.map((a) => a.id), prefix).toHaveLength(1);
  return found[0]!;
};

// The metrics of a math-expression alarm, or its one metric, as "Namespace MetricName".
const metricNames = (a: any): string[] =>
  a.Metrics
    ? a.Metrics.filter((m: any) => m.MetricStat).map(
        (m: any) => `${m.MetricStat.Metric.Namespace} ${m.MetricStat.Metric.MetricName}`,
      )
    : [`${a.Namespace} ${a.MetricName}`];

describe.each(variants)('%s', (_name, synthesis) => {
  const serverless = synthesis.settings.mode === 'serverless';

  it('sends every alarm, the ingest failure alarm included, to the one topic, and back', () => {
    const topic = topicOf(synthesis);
    const alarms = alarmsOf(synthesis);
    expect(alarms).toHaveLength(serverless ? 12 : 9);
    for (const a of alarms) {
      expect(a.AlarmActions, a.id).toEqual([{ Ref: topic }]);
      expect(a.OKActions, a.id).toEqual([{ Ref: topic }]);
      expect(a.TreatMissingData, a.id).toBe('notBreaching');
    }
    expect(alarms.some((a) => String(a.id).startsWith('IngestFailureAlarm'))).toBe(true);
  });

  it('watches 5xx, p99 latency, throttles, errors, the database and the stream', () => {
    const api = serverless ? 'AWS/ApiGateway' : 'AWS/ApplicationELB';
    expect(metricNames(alarm(synthesis, 'ObservabilityApiServerErrorRate'))).toEqual(
      serverless
        ? [`${api} Count`, `${api} 5xx`]
        : [
            `${api} RequestCount`,
            `${api} HTTPCode_Target_5XX_Count`,
            `${api} HTTPCode_ELB_5XX_Count`,
          ],
    );
    const latency = alarm(synthesis, 'ObservabilityApiLatencyP99');
    expect(latency.ExtendedStatistic).toBe('p99');
    // Milliseconds from API Gateway, seconds from the load balancer.
    const threshold = kThresholds.latencyP99Ms / (serverless ? 1 : 1000);
    expect(latency.Threshold).toBe(threshold);
    expect(metricNames(alarm(synthesis, 'ObservabilityTableThrottles'))).toEqual([
      'AWS/DynamoDB ReadThrottleEvents',
      'AWS/DynamoDB WriteThrottleEvents',
    ]);
    for (const fn of serverless ? ['Api', 'Ingest'] : ['Ingest']) {
      expect(alarm(synthesis, `Observability${fn}FunctionErrors`).MetricName).toBe('Errors');
      expect(alarm(synthesis, `Observability${fn}FunctionThrottles`).MetricName).toBe('Throttles');
    }
    if (serverless) {
      const duration = alarm(synthesis, 'ObservabilityApiFunctionDurationP99');
      expect(duration.ExtendedStatistic).toBe('p99');
      expect(duration.Threshold).toBeLessThan(29_000);
    }
    expect(alarm(synthesis, 'ObservabilityDatabaseCpu')).toMatchObject({
      Namespace: 'AWS/RDS',
      MetricName: 'CPUUtilization',
      Threshold: kThresholds.databaseCpuPercent,
    });
    expect(alarm(synthesis, 'ObservabilityDatabaseFreeStorage')).toMatchObject({
      MetricName: 'FreeStorageSpace',
      ComparisonOperator: 'LessThanThreshold',
    });
    expect(alarm(synthesis, 'ObservabilityIngestIteratorAge')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Statistic: 'Maximum',
      Threshold: kThresholds.ingestIteratorAgeMs,
    });
  });

  it('has one dashboard covering the API, practica, the table, the database and ingest', () => {
    const dashboards = resourcesOf(synthesis.templates.api, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]![1].Properties!.DashboardBody);
    const expected = [
      serverless ? 'AWS/ApiGateway' : 'AWS/ApplicationELB',
      serverless ? 'ConcurrentExecutions' : 'MemoryUtilization',
      kMetricsNamespace,
      'AttemptsGraded',
      'SignIns',
      'ConsumedReadCapacityUnits',
      'ReadThrottleEvents',
      'DatabaseConnections',
      'FreeStorageSpace',
      'IteratorAge',
      'ApproximateNumberOfMessagesVisible',
      'alarm',
    ];
    for (const text of expected) expect(body, text).toContain(text);
  });

  it('subscribes no one without -c alarmEmail', () => {
    expect(resourcesOf(synthesis.templates.api, 'AWS::SNS::Subscription')).toEqual([]);
  });

  it("exports PostgreSQL's log and keeps it 30 days, with a role scoped to that log", () => {
    const data = synthesis.templates.data;
    const [[, instance]] = resourcesOf(data, 'AWS::RDS::DBInstance') as any;
    expect(instance.Properties!.EnableCloudwatchLogsExports).toEqual(['postgresql']);
    const retention = resourcesOf(data, 'Custom::LogRetention');
    expect(retention).toHaveLength(1);
    expect(retention[0]![1].Properties!.RetentionInDays).toBe(30);
    expect(JSON.stringify(retention[0]![1].Properties!.LogGroupName)).toContain('/postgresql');
    const [[, policy]] = resourcesOf(data, 'AWS::IAM::Policy').filter(([id]) =>
      id.startsWith('DataLogRetentionPolicy'),
    ) as any;
    const statements = policy.Properties!.PolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(JSON.stringify(statements[0].Resource)).toContain('/aws/rds/instance/');
    // …and the function's own log group, which it sets to a day on creation.
    const [[functionId]] = resourcesOf(data, 'AWS::Lambda::Function').filter(([id]) =>
      id.startsWith('LogRetention'),
    ) as any;
    expect(JSON.stringify(statements[0].Resource)).toContain(`{"Ref":"${functionId}"}`);
    expect(retention[0]![1].DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^DataLogRetentionPolicy/)]),
    );
  });

  if (serverless) {
    it('has the API function write EMF lines, which Lambda extracts', () => {
      const [[, fn]] = resourcesOf(synthesis.templates.api, 'AWS::Lambda::Function').filter(
        ([id]) => id.startsWith('ApiFunction'),
      ) as any;
      expect(fn.Properties!.Environment.Variables.PRACTICA_METRICS).toBe('emf');
    });
  } else {
    it('turns the tasks’ EMF lines into the same metrics with metric filters', () => {
      const api = synthesis.templates.api;
      const [[, task]] = resourcesOf(api, 'AWS::ECS::TaskDefinition') as any;
      const container = task.Properties!.ContainerDefinitions[0];
      expect(container.Environment).toContainEqual({ Name: 'PRACTICA_METRICS', Value: 'emf' });
      const logGroup = container.LogConfiguration.Options['awslogs-group'];
      const filters = resourcesOf(api, 'AWS::Logs::MetricFilter');
      const names = filters.map(([, f]) => f.Properties!.MetricTransformations[0].MetricName);
      expect(names.sort()).toEqual([...kCountMetrics].sort());
      for (const [, filter] of filters) {
        expect(filter.Properties!.LogGroupName).toEqual(logGroup);
        expect(filter.Properties!.FilterPattern).toContain('$.Mode = "server"');
        expect(filter.Properties!.MetricTransformations[0].MetricNamespace).toBe(kMetricsNamespace);
      }
    });

    it("writes the load balancer's access logs to an encrypted, private bucket", () => {
      const api = synthesis.templates.api;
      const [[bucketId, bucket]] = resourcesOf(api, 'AWS::S3::Bucket') as any;
      expect(bucket.Properties!.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ]);
      const [[, lb]] = resourcesOf(api, 'AWS::ElasticLoadBalancingV2::LoadBalancer') as any;
      const attributes = Object.fromEntries(
        lb.Properties!.LoadBalancerAttributes.map((a: any) => [a.Key, a.Value]),
      );
      expect(attributes['access_logs.s3.enabled']).toBe('true');
      expect(attributes['access_logs.s3.bucket']).toEqual({ Ref: bucketId });
    });
  }
});

describe('-c alarmEmail', () => {
  it('subscribes that address to the topic', () => {
    const synthesis = synthesize({ ...kVariants.serverlessDev, alarmEmail: 'ops@example.org' });
    const subscriptions = resourcesOf(synthesis.templates.api, 'AWS::SNS::Subscription');
    expect(subscriptions.map(([, s]) => s.Properties)).toEqual([
      { Protocol: 'email', Endpoint: 'ops@example.org', TopicArn: { Ref: topicOf(synthesis) } },
    ]);
  });
});

describe('xAPI (-c xapiEndpoint)', () => {
  const secret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:practica/lrs-AbC123';
  const synthesis = synthesize({
    ...kVariants.containerDev,
    ...kDomainContext,
    xapiEndpoint: 'https://lrs.example.org/xapi',
    xapiUsername: 'practica',
    xapiPasswordSecret: secret,
  });
  const api = synthesis.templates.api;
  const [functionId, fn] = resourcesOf(api, 'AWS::Lambda::Function').find(([id]) =>
    id.startsWith('IngestFunction'),
  )!;

  it('gives the ingest function the LRS, the user, the secret and the public address', () => {
    expect(fn.Properties!.Environment.Variables).toMatchObject({
      PRACTICA_LAMBDA_HANDLER: 'ingest',
      PRACTICA_PUBLIC_URL: 'https://learn.example.org',
      PRACTICA_XAPI_ENDPOINT: 'https://lrs.example.org/xapi',
      PRACTICA_XAPI_USERNAME: 'practica',
      PRACTICA_XAPI_PASSWORD_SECRET: secret,
    });
    expect(fn.Properties!.Environment.Variables.PRACTICA_XAPI_PASSWORD).toBeUndefined();
    expect(fn.Properties!.Timeout).toBeGreaterThan(60);
  });

  it('lets it read that secret and, for the statements, the table: nothing more', () => {
    const roleId = fn.Properties!.Role['Fn::GetAtt'][0];
    const statements = resourcesOf(api, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties!.Roles).includes(roleId))
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement);
    const bySid = (sid: string) => statements.find((s: any) => s.Sid === sid);
    expect(bySid('XapiPassword')).toMatchObject({
      Action: 'secretsmanager:GetSecretValue',
      Resource: secret,
    });
    expect(bySid('XapiTableReads').Action).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:BatchGetItem',
      'dynamodb:DescribeTable',
    ]);
    expect(functionId).toMatch(/^IngestFunction/);
  });
});
