// The whole of one deployment: the stacks, what each holds, and how they refer to each other.
// Stacks only compose the constructs (STYLE.md): Network, Data, ServerlessApi | ContainerApi,
// Frontend, Firewall.
//
//   Edge (us-east-1)  web ACL, and the certificate when there is a domain: CloudFront takes
//                     both only from us-east-1
//   Data              VPC, DynamoDB table, PostgreSQL, secrets: what outlives a redeploy
//   Api               serverless: HTTP API + Lambda; container: ALB + ECS Fargate; in both, the
//                     analytics ingest function that the table's stream invokes, the admin
//                     function that migrates on deploy, and the alarms and dashboard
//   Web               S3 bucket + CloudFront (+ DNS records), which refers to Edge across regions
import { App, CfnOutput, RemovalPolicy, Stack, StackProps, Tags, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { AdminCommands } from './admin-commands';
import { AnalyticsIngest } from './analytics-ingest';
import { ContainerApi } from './container-api';
import { Data } from './data';
import { Firewall } from './firewall';
import { Frontend } from './frontend';
import { stackName } from './naming';
import { Network } from './network';
import { ApiCompute, Observability } from './observability';
import { OriginSecretRotation } from './origin-secret-rotation';
import { apiPublicEnvironment, kOriginHeader } from './practica-runtime';
import { ServerlessApi } from './serverless-api';
import { DomainSettings, Settings } from './settings';

// CloudFront reads web ACLs and certificates from this region only.
export const kEdgeRegion = 'us-east-1';

// CDK behaviours this app chooses, set here rather than in cdk.json so that the tests, which
// build the app in process, synthesise exactly what `cdk deploy` does.
export const kFeatureFlags: Record<string, unknown> = {
  // Server access logs are granted by a bucket policy, not the legacy LogDeliveryWrite ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // Cross-stack references keep today's behaviour: a producer cannot drop a value in use.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

interface PracticaStackProps extends StackProps {
  readonly settings: Settings;
}

export class EdgeStack extends Stack {
  readonly webAclArn: string;
  readonly certificate?: acm.ICertificate;

  constructor(scope: Construct, id: string, props: PracticaStackProps) {
    super(scope, id, props);
    const firewall = new Firewall(this, 'Firewall', { authRequestsPer5Minutes: 300 });
    this.webAclArn = firewall.webAcl.attrArn;
    const domain = props.settings.domain;
    if (domain) this.certificate = certificateFor(this, domain);
  }
}

function certificateFor(scope: Construct, domain: DomainSettings): acm.Certificate {
  const zone = route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', {
    hostedZoneId: domain.hostedZoneId,
    zoneName: domain.hostedZoneName,
  });
  return new acm.Certificate(scope, 'Certificate', {
    domainName: domain.name,
    validation: acm.CertificateValidation.fromDns(zone),
  });
}

export class DataStack extends Stack {
  readonly network: Network;
  readonly data: Data;

  constructor(scope: Construct, id: string, props: PracticaStackProps) {
    super(scope, id, props);
    const production = props.settings.stage === 'production';
    this.network = new Network(this, 'Network', {
      publicSubnets: props.settings.mode === 'container',
      containerEndpoints: props.settings.mode === 'container',
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.data = new Data(this, 'Data', { network: this.network, production });
    // What `practica import`, `migrate` and an operator need to name (docs/DEPLOY.md).
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'DatabaseSecretArn', { value: this.data.databaseSecret.secretArn });
  }
}

interface ApiStackProps extends PracticaStackProps {
  readonly network: Network;
  readonly data: Data;
}

export class ApiStack extends Stack {
  // Where CloudFront sends /api/*.
  readonly origin: cloudfront.IOrigin;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { settings, network, data } = props;
    const removalPolicy =
      settings.stage === 'production' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    // `migrate` (on every deploy of new code, before anything below runs it) and `user set-role`
    // inside the VPC, in both modes (docs/DEPLOY.md).
    const admin = new AdminCommands(this, 'Admin', {
      network,
      data,
      lambdaZip: settings.lambdaZip,
      removalPolicy,
    });
    new CfnOutput(this, 'AdminFunctionName', { value: admin.function.functionName });
    let compute: ApiCompute;
    if (settings.mode === 'serverless') {
      const api = new ServerlessApi(this, 'Api', {
        network,
        data,
        lambdaZip: settings.lambdaZip,
        reservedConcurrency: settings.reservedConcurrency,
        removalPolicy,
        environment: apiPublicEnvironment(settings.publicUrl),
      });
      api.function.node.addDependency(admin.migration);
      compute = { mode: 'serverless', api };
      new CfnOutput(this, 'FunctionName', { value: api.function.functionName });
      this.origin = new origins.HttpOrigin(api.originDomainName, {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        // The HTTP API answers on its own execute-api name too; practica refuses what comes
        // that way without this header (PRACTICA_ORIGIN_SECRET).
        customHeaders: { [kOriginHeader]: data.originSecret.secretValue.unsafeUnwrap() },
      });
    } else {
      const api = new ContainerApi(this, 'Api', { network, data, removalPolicy });
      for (const [name, value] of Object.entries(apiPublicEnvironment(settings.publicUrl))) {
        api.service.taskDefinition.defaultContainer!.addEnvironment(name, value);
      }
      api.service.node.addDependency(admin.migration);
      compute = { mode: 'container', api };
      // For one-off tasks (`migrate`, `user create`) with `aws ecs run-task`.
      new CfnOutput(this, 'ClusterName', { value: api.service.cluster.clusterName });
      new CfnOutput(this, 'TaskDefinitionArn', {
        value: api.service.taskDefinition.taskDefinitionArn,
      });
      this.origin = api.origin;
    }
    // Both modes: attempts live in the table in both, and reach analytics through its stream.
    const ingest = new AnalyticsIngest(this, 'Ingest', {
      network,
      data,
      lambdaZip: settings.lambdaZip,
      reservedConcurrency: settings.ingestConcurrency,
      removalPolicy,
      publicUrl: settings.publicUrl,
      xapi: settings.xapi,
    });
    ingest.function.node.addDependency(admin.migration);
    const observability = new Observability(this, 'Observability', {
      compute,
      data,
      ingest,
      alarmEmail: settings.alarmEmail,
      removalPolicy,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: observability.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: observability.dashboard.dashboardName });
    // Where an operator looks when the failure alarm goes off (docs/DEPLOY.md).
    new CfnOutput(this, 'IngestFunctionName', { value: ingest.function.functionName });
    new CfnOutput(this, 'IngestFailureQueueUrl', { value: ingest.failureQueue.queueUrl });
  }
}

interface WebStackProps extends PracticaStackProps {
  readonly edge: EdgeStack;
  readonly apiOrigin: cloudfront.IOrigin;
  // The value the API origin's header carries; rotated here, where the distribution is.
  readonly originSecret: secretsmanager.ISecret;
}

export class WebStack extends Stack {
  readonly frontend: Frontend;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const { settings, edge } = props;
    const removalPolicy =
      settings.stage === 'production' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.frontend = new Frontend(this, 'Frontend', {
      apiOrigin: props.apiOrigin,
      webAclArn: edge.webAclArn,
      domain:
        settings.domain && edge.certificate
          ? { settings: settings.domain, certificate: edge.certificate }
          : undefined,
      removalPolicy,
      webDist: settings.webDist,
    });
    new OriginSecretRotation(this, 'OriginSecretRotation', {
      secret: props.originSecret,
      distribution: this.frontend.distribution,
      removalPolicy,
    });
    new CfnOutput(this, 'SiteBucketName', { value: this.frontend.bucket.bucketName });
    new CfnOutput(this, 'DistributionId', { value: this.frontend.distribution.distributionId });
    new CfnOutput(this, 'Url', {
      value: `https://${settings.domain?.name ?? this.frontend.distribution.distributionDomainName}`,
    });
  }
}

export interface PracticaStacks {
  readonly edge: EdgeStack;
  readonly data: DataStack;
  readonly api: ApiStack;
  readonly web: WebStack;
}

// Builds every stack of the deployment `settings` describes into `app`, and registers the
// cdk-nag AwsSolutions pack: a finding that is neither fixed nor acknowledged fails the synth.
export function buildPractica(app: App, settings: Settings): PracticaStacks {
  for (const [flag, value] of Object.entries(kFeatureFlags)) app.node.setContext(flag, value);
  const env = { account: settings.account, region: settings.region };
  const common = { settings, crossRegionReferences: true };
  const edge = new EdgeStack(app, stackName(settings.stage, 'Edge'), {
    ...common,
    env: { account: settings.account, region: kEdgeRegion },
    description: 'Practica: the web ACL (and certificate) CloudFront uses; us-east-1 only',
  });
  const data = new DataStack(app, stackName(settings.stage, 'Data'), {
    ...common,
    env,
    description: 'Practica: VPC, DynamoDB table, PostgreSQL and secrets',
  });
  const api = new ApiStack(app, stackName(settings.stage, 'Api'), {
    ...common,
    env,
    network: data.network,
    data: data.data,
    description: `Practica: the API (${settings.mode})`,
  });
  const web = new WebStack(app, stackName(settings.stage, 'Web'), {
    ...common,
    env,
    edge,
    apiOrigin: api.origin,
    originSecret: data.data.originSecret,
    description: 'Practica: the web app bucket and the CloudFront distribution',
  });
  Tags.of(app).add('project', 'practica');
  Tags.of(app).add('stage', settings.stage);
  Tags.of(app).add('mode', settings.mode);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { edge, data, api, web };
}
