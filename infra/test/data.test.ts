// Data: the table exactly as docs/DATA.md and src/store/dynamodb/table.cc lay it out, the
// PostgreSQL database, the secrets; protected in production, disposable in dev.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { kDueIndexAttributes } from '../lib/data';
import {
  cxxStrings,
  kVariants,
  repositoryFile,
  resourcesOf,
  synthesize,
} from './synth';

const production = synthesize(kVariants.serverlessProduction);
const dev = synthesize(kVariants.serverlessDev);

describe('the DynamoDB table', () => {
  const data = production.templates.data;

  it('has the keys and the one index practica creates and checks', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'due',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: kDueIndexAttributes },
        },
      ],
    });
    expect(resourcesOf(data, 'AWS::DynamoDB::Table')).toHaveLength(1);
  });

  it('projects into "due" exactly what CreateTable in table.cc projects', () => {
    const source = repositoryFile('src/store/dynamodb/table.cc');
    const list = /"NonKeyAttributes",\s*json::array\{([^}]*)\}/.exec(source);
    expect(list, 'NonKeyAttributes not found in table.cc').not.toBeNull();
    expect(kDueIndexAttributes).toEqual(cxxStrings(list![1]!));
  });

  it('is on demand, with point-in-time recovery and a stream of new images', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
  });

  it('is protected from deletion in production, and only there', () => {
    data.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    dev.templates.data.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
      DeletionPolicy: 'Delete',
    });
  });
});

describe('the PostgreSQL database', () => {
  const data = production.templates.data;

  it('is PostgreSQL 15 on a Graviton micro instance, encrypted, backed up, private', () => {
    data.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      EngineVersion: Match.stringLikeRegexp('^15\\.\\d+$'),
      DBInstanceClass: 'db.t4g.micro',
      StorageEncrypted: true,
      BackupRetentionPeriod: 7,
      PubliclyAccessible: false,
      DeletionProtection: true,
    });
    dev.templates.data.hasResourceProperties('AWS::RDS::DBInstance', {
      DeletionProtection: false,
    });
  });

  it('lives in the isolated subnets, which have no route to the internet', () => {
    const [[, subnetGroup]] = resourcesOf(data, 'AWS::RDS::DBSubnetGroup') as any;
    const subnetIds: { Ref: string }[] = subnetGroup.Properties.SubnetIds;
    expect(subnetIds).toHaveLength(2);
    const subnets = data.findResources('AWS::EC2::Subnet');
    for (const { Ref } of subnetIds) {
      expect(subnets[Ref]!.Properties.MapPublicIpOnLaunch).toBe(false);
    }
    expect(resourcesOf(data, 'AWS::EC2::NatGateway')).toHaveLength(0);
    // Serverless mode has no public subnet and so no internet gateway at all.
    expect(resourcesOf(data, 'AWS::EC2::InternetGateway')).toHaveLength(0);
    for (const [, route] of resourcesOf(data, 'AWS::EC2::Route')) {
      expect(route.Properties!.GatewayId).toBeUndefined();
    }
  });

  it('admits only the API compute and the rotation function', () => {
    const groups = data.findResources('AWS::EC2::SecurityGroup');
    const idOf = (description: string) =>
      Object.keys(groups).find((id) =>
        String(groups[id]!.Properties.GroupDescription).startsWith(description),
      );
    const database = idOf('Practica PostgreSQL');
    const sources = resourcesOf(data, 'AWS::EC2::SecurityGroupIngress')
      .filter(([, rule]) => rule.Properties!.GroupId['Fn::GetAtt'][0] === database)
      .map(([, rule]) => rule.Properties!.SourceSecurityGroupId?.['Fn::GetAtt']?.[0]);
    expect(sources.sort()).toEqual(
      [idOf('Practica API compute'), idOf('Practica password rotation')].sort(),
    );
    expect(groups[database!]!.Properties.SecurityGroupIngress).toBeUndefined();
  });

  it('lets the rotation function reach Secrets Manager through the endpoint', () => {
    const groups = data.findResources('AWS::EC2::SecurityGroup');
    const rotation = Object.keys(groups).find((id) =>
      String(groups[id]!.Properties.GroupDescription).startsWith('Practica password rotation'),
    );
    data.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {});
    data.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 443,
      SourceSecurityGroupId: { 'Fn::GetAtt': [rotation, 'GroupId'] },
    });
    data.hasResourceProperties('AWS::Serverless::Application', {
      Parameters: Match.objectLike({
        vpcSecurityGroupIds: { 'Fn::GetAtt': [rotation, 'GroupId'] },
      }),
    });
  });

  it('keeps its credentials in a Secrets Manager secret that rotates every 30 days', () => {
    data.hasResourceProperties('AWS::SecretsManager::SecretTargetAttachment', {
      TargetType: 'AWS::RDS::DBInstance',
    });
    data.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
  });
});

describe('the secrets', () => {
  it('include the token signing key seed, generated by Secrets Manager', () => {
    production.templates.data.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('signing key'),
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
  });
});

describe('the network', () => {
  const data = production.templates.data;

  it('reaches DynamoDB through a gateway endpoint and Secrets Manager through an interface one', () => {
    const endpoints = resourcesOf(data, 'AWS::EC2::VPCEndpoint').map(([, endpoint]) => ({
      type: endpoint.Properties!.VpcEndpointType ?? 'Gateway',
      service: JSON.stringify(endpoint.Properties!.ServiceName),
    }));
    expect(endpoints).toEqual(
      expect.arrayContaining([
        { type: 'Gateway', service: expect.stringContaining('dynamodb') },
        { type: 'Interface', service: expect.stringContaining('secretsmanager') },
      ]),
    );
    expect(endpoints).toHaveLength(2);
  });

  it('logs rejected flows, with a retention', () => {
    data.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
  });
});
