// The API in container mode (a first version): ECS Fargate tasks on Graviton running
// `practica serve` from deploy/Dockerfile, behind an internal Application Load Balancer that
// CloudFront reaches through a VPC origin, so the load balancer has no public address at all.
import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Data } from './data';
import { kApiPort, kLogRetention } from './naming';
import { Network } from './network';
import {
  edgeEnvironment,
  kOriginHeader,
  practicaAccess,
  practicaEnvironment,
} from './practica-runtime';

// The repository root: the Docker build context of deploy/Dockerfile.
export const kRepositoryRoot = path.resolve(__dirname, '..', '..');

// What the image build reads from the repository (deploy/Dockerfile's COPY lines); everything
// else stays out of the build context and out of the asset's fingerprint (build/, node_modules).
export const kImageContext = [
  'deploy/Dockerfile',
  'CMakeLists.txt',
  'CMakePresets.json',
  'cmake',
  'src',
  'content',
];

export interface ContainerApiProps {
  readonly network: Network;
  readonly data: Data;
  readonly removalPolicy: RemovalPolicy;
}

export class ContainerApi extends Construct {
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly origin: cloudfront.IOrigin;

  constructor(scope: Construct, id: string, props: ContainerApiProps) {
    super(scope, id);
    const { network, data } = props;

    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: network.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: 512,
      memoryLimitMiB: 1024,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    for (const statement of practicaAccess(data)) taskDefinition.addToTaskRolePolicy(statement);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: kLogRetention,
      removalPolicy: props.removalPolicy,
    });
    taskDefinition.addContainer('practica', {
      // Built by `cdk deploy` (cdk-assets) where Docker runs; synth only fingerprints the context.
      image: ecs.ContainerImage.fromAsset(kRepositoryRoot, {
        file: 'deploy/Dockerfile',
        platform: Platform.LINUX_ARM64,
        exclude: ['*', ...kImageContext.map((entry) => `!${entry}`)],
      }),
      command: ['serve'],
      // CloudFront, then the load balancer, append to X-Forwarded-For.
      environment: practicaEnvironment(data, {
        PRACTICA_SEED_CONTENT: '',
        ...edgeEnvironment(data, 2),
      }),
      portMappings: [{ containerPort: kApiPort }],
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'practica' }),
      // practica answers what is in flight and exits within 8 s of SIGTERM
      // (docs/ARCHITECTURE.md, Shutdown); ECS sends SIGKILL after this.
      stopTimeout: Duration.seconds(10),
      readonlyRootFilesystem: false,
    });
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The variables name resources (the table, the secret ARN) and settings; none is a ' +
        'secret. practica reads the database password from Secrets Manager at run time.',
    });
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The execution role pulls the image: ecr:GetAuthorizationToken has no resource-level ' +
        'permissions; every other action CDK grants is on the image repository and log group.',
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: network.vpc,
      internetFacing: false,
      vpcSubnets: network.privateSubnets,
      securityGroup: network.loadBalancerSecurityGroup,
      dropInvalidHeaderFields: true,
    });
    // Its access logs go to a bucket of their own (observability.ts, with the alarms).
    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition,
      desiredCount: 1,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      // No address on the internet and no route to it: the image comes through the ECR
      // endpoints (its layers through the S3 gateway endpoint), logs through the CloudWatch
      // Logs endpoint (network.ts); the security group admits only the load balancer.
      vpcSubnets: network.privateSubnets,
      assignPublicIp: false,
      securityGroups: [network.computeSecurityGroup],
    });
    const listener = this.loadBalancer.addListener('Http', {
      port: 80,
      open: false,
    });
    listener.addTargets('Practica', {
      port: kApiPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service],
      healthCheck: { path: '/api/health', healthyHttpCodes: '200', interval: Duration.seconds(15) },
      deregistrationDelay: Duration.seconds(10),
    });
    const scaling = this.service.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 4 });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });

    this.origin = origins.VpcOrigin.withApplicationLoadBalancer(this.loadBalancer, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
      httpPort: 80,
      // Resolved by CloudFormation when the distribution is deployed; rotations change it in
      // place (the Web stack's rotation function).
      customHeaders: { [kOriginHeader]: data.originSecret.secretValue.unsafeUnwrap() },
    });
  }
}
