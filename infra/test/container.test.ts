// Container mode (a first version): Fargate on arm64 from deploy/Dockerfile, synthesised
// without Docker, behind an internal load balancer that CloudFront reaches through a VPC origin.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { kImageContext } from '../lib/container-api';
import { kTableActions } from '../lib/practica-runtime';
import { kVariants, resourcesOf, synthesize } from './synth';

const container = synthesize(kVariants.containerProduction);
const api = container.templates.api;

describe('the image', () => {
  const manifest = JSON.parse(
    fs.readFileSync(
      path.join(container.outdir, `${container.stacks.api.artifactId}.assets.json`),
      'utf8',
    ),
  );
  const images = Object.values(manifest.dockerImages ?? {}) as any[];

  it('is an arm64 image asset of deploy/Dockerfile, built at deploy time, not at synth', () => {
    expect(images).toHaveLength(1);
    expect(images[0].source).toMatchObject({
      dockerFile: 'deploy/Dockerfile',
      platform: 'linux/arm64',
    });
  });

  it('sends only the files the Dockerfile copies as build context', () => {
    const context = path.join(container.outdir, images[0].source.directory);
    expect(fs.readdirSync(context).sort()).toEqual(
      [...new Set(kImageContext.map((entry) => entry.split('/')[0]!))].sort(),
    );
    expect(fs.readdirSync(path.join(context, 'deploy'))).toEqual(['Dockerfile']);
  });
});

describe('the service', () => {
  it('runs on Graviton (ARM64) Fargate, `practica serve` on 8080', () => {
    api.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          Command: ['serve'],
          PortMappings: [Match.objectLike({ ContainerPort: 8080 })],
          StopTimeout: 10,
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
          Environment: Match.arrayWith([
            Match.objectLike({ Name: 'PRACTICA_CONTENT_STORE' }),
            Match.objectLike({ Name: 'PRACTICA_PROGRESS_STORE' }),
            Match.objectLike({ Name: 'PRACTICA_USER_STORE' }),
            Match.objectLike({ Name: 'PRACTICA_ANALYTICS_STORE' }),
          ]),
        }),
      ],
    });
  });

  it('runs in the isolated subnets without a public address', () => {
    api.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: {
        AwsvpcConfiguration: Match.objectLike({
          AssignPublicIp: 'DISABLED',
          Subnets: [
            { 'Fn::ImportValue': Match.stringLikeRegexp('privateSubnet1') },
            { 'Fn::ImportValue': Match.stringLikeRegexp('privateSubnet2') },
          ],
        }),
      },
    });
  });

  it('reads the shared key ring and the origin secret, behind two proxies', () => {
    const [[, task]] = resourcesOf(api, 'AWS::ECS::TaskDefinition') as any;
    const variables = Object.fromEntries(
      task.Properties.ContainerDefinitions[0].Environment.map((v: any) => [v.Name, v.Value]),
    );
    // CloudFront, then the load balancer, append to X-Forwarded-For.
    expect(variables.PRACTICA_TRUSTED_PROXIES).toBe('2');
    expect(JSON.stringify(variables.PRACTICA_KEY_SECRET)).toMatch(/RefDataTokenSigningKey/);
    expect(JSON.stringify(variables.PRACTICA_ORIGIN_SECRET)).toMatch(/RefDataOriginSecret/);
  });

  it('rolls back a deployment that does not become healthy', () => {
    api.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
    });
  });

  it('scales on CPU by target tracking', () => {
    api.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 1,
      MaxCapacity: 4,
    });
    api.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 60 }),
    });
  });

  it("gives the task role the same rights as the Lambda's: the table and the secret", () => {
    const policies = resourcesOf(api, 'AWS::IAM::Policy').filter(([id]) =>
      id.includes('TaskRole'),
    );
    const statements = policies.flatMap(([, p]) => p.Properties!.PolicyDocument.Statement);
    expect(statements.map((s: any) => s.Sid).sort()).toEqual([
      'DatabaseSecret',
      'EdgeSecrets',
      'Table',
    ]);
    expect(statements.find((s: any) => s.Sid === 'Table').Action).toEqual(kTableActions);
  });
});

describe('the load balancer', () => {
  it('is internal, checks /api/health and drains within the shutdown grace', () => {
    api.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      ]),
    });
    api.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/api/health',
      Port: 8080,
      TargetType: 'ip',
      TargetGroupAttributes: Match.arrayWith([
        { Key: 'deregistration_delay.timeout_seconds', Value: '10' },
      ]),
    });
  });

  it('is the origin of /api/* through a CloudFront VPC origin', () => {
    container.templates.web.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
      VpcOriginEndpointConfig: Match.objectLike({
        Arn: { 'Fn::ImportValue': Match.stringLikeRegexp('ApiLoadBalancer') },
      }),
    });
    container.templates.web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: Match.arrayWith([
          Match.objectLike({ VpcOriginConfig: Match.objectLike({ VpcOriginId: Match.anyValue() }) }),
        ]),
      }),
    });
  });

  it('reaches ECR, CloudWatch Logs and Secrets Manager through endpoints, S3 and DynamoDB through gateways', () => {
    const endpoints = resourcesOf(container.templates.data, 'AWS::EC2::VPCEndpoint').map(
      ([, endpoint]) => endpoint.Properties!,
    );
    const service = (endpoint: any) => JSON.stringify(endpoint.ServiceName).match(/\.(ecr\.api|ecr\.dkr|logs|secretsmanager|s3|dynamodb)"/)?.[1];
    const byType = (type: string) =>
      endpoints.filter((e) => e.VpcEndpointType === type).map(service).sort();
    expect(byType('Interface')).toEqual(['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']);
    expect(byType('Gateway')).toEqual(['dynamodb', 's3']);
    // Billed per AZ-hour: the three the tasks alone need sit in one subnet (one AZ).
    for (const endpoint of endpoints.filter((e) => ['ecr.api', 'ecr.dkr', 'logs'].includes(service(e)!))) {
      expect(endpoint.SubnetIds).toHaveLength(1);
      expect(endpoint.PrivateDnsEnabled).toBe(true);
    }
  });

  it('keeps serverless mode to the Secrets Manager endpoint and the DynamoDB gateway', () => {
    const serverless = synthesize(kVariants.serverlessDev);
    const endpoints = resourcesOf(serverless.templates.data, 'AWS::EC2::VPCEndpoint');
    expect(endpoints).toHaveLength(2);
  });

  it('admits only the VPC (where CloudFront places its origin interfaces), on port 80', () => {
    const groups = container.templates.data.findResources('AWS::EC2::SecurityGroup');
    const [balancer] = Object.values(groups).filter((group: any) =>
      String(group.Properties.GroupDescription).startsWith('Practica load balancer'),
    ) as any[];
    expect(balancer.Properties.SecurityGroupIngress).toEqual([
      expect.objectContaining({ CidrIp: '10.40.0.0/16', FromPort: 80, ToPort: 80 }),
    ]);
  });
});
