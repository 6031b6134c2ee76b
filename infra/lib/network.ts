// The VPC every regional piece lives in: no NAT gateway (the most expensive idle part of a small
// VPC). Subnets without a route to the internet hold the database and the API's compute; AWS
// services are reached through endpoints: free gateway endpoints for DynamoDB (and S3 in
// container mode), and interface endpoints only for what must be reached from there: Secrets
// Manager, and in container mode ECR (api, dkr) and CloudWatch Logs, which the tasks need to start
// and to log. An interface endpoint is billed per AZ-hour, so these three live in one AZ
// (docs/DEPLOY.md, "Cost of the endpoints").
import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { kApiPort, kLogRetention } from './naming';

// A literal rather than the VPC's attribute, so rules that name it read plainly in the template.
const kVpcCidr = '10.40.0.0/16';

export interface NetworkProps {
  // Container mode: public subnets, where the Fargate tasks pull their image and ship their logs
  // without a NAT gateway, and whose internet gateway CloudFront's VPC origins require.
  readonly publicSubnets: boolean;
  // Container mode: the Fargate tasks run in the isolated subnets and pull their image and ship
  // their logs through endpoints.
  readonly containerEndpoints: boolean;
  readonly removalPolicy: RemovalPolicy;
}

export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  // The isolated subnets: the database, the Lambda function, the internal load balancer.
  readonly privateSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  readonly secretsManagerEndpoint: ec2.InterfaceVpcEndpoint;
  // The API's compute (Lambda or Fargate tasks) and the database. Both live here, in one stack,
  // so the rule between them does not tie the API stack and the data stack in a cycle.
  readonly computeSecurityGroup: ec2.SecurityGroup;
  readonly databaseSecurityGroup: ec2.SecurityGroup;
  // The function that rotates the database password: it talks to both PostgreSQL (the rule is
  // added with the rotation) and Secrets Manager.
  readonly rotationSecurityGroup: ec2.SecurityGroup;
  // Container mode: the internal load balancer in front of the tasks.
  readonly loadBalancerSecurityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const subnetConfiguration: ec2.SubnetConfiguration[] = [
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 },
    ];
    if (props.publicSubnets) {
      subnetConfiguration.push({ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 });
    }
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(kVpcCidr),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration,
      // Nothing is placed in the default security group; stripping its rules would cost a
      // custom-resource Lambda per VPC for no gain.
      restrictDefaultSecurityGroup: false,
    });
    // Rejected connections only: what a security review needs, at a fraction of ALL's volume.
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: kLogRetention,
      removalPolicy: props.removalPolicy,
    });
    this.vpc.addFlowLog('RejectedFlows', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });
    this.vpc.addGatewayEndpoint('DynamoDb', {
      service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
      subnets: [this.privateSubnets],
    });
    this.secretsManagerEndpoint = this.vpc.addInterfaceEndpoint('SecretsManager', {
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      subnets: this.privateSubnets,
      privateDnsEnabled: true,
      // Callers are let in one by one (connections.allowDefaultPortFrom), not the whole VPC.
      open: false,
    });

    this.computeSecurityGroup = new ec2.SecurityGroup(this, 'Compute', {
      vpc: this.vpc,
      description: 'Practica API compute: reaches the database, DynamoDB and Secrets Manager',
      allowAllOutbound: false,
    });
    this.databaseSecurityGroup = new ec2.SecurityGroup(this, 'Database', {
      vpc: this.vpc,
      description: 'Practica PostgreSQL: admits the API compute and the rotation function',
      allowAllOutbound: false,
    });
    const postgres = ec2.Port.tcp(5432);
    this.databaseSecurityGroup.addIngressRule(this.computeSecurityGroup, postgres, 'API to PostgreSQL');
    this.computeSecurityGroup.addEgressRule(this.databaseSecurityGroup, postgres, 'PostgreSQL');
    this.secretsManagerEndpoint.connections.allowDefaultPortFrom(
      this.computeSecurityGroup,
      'API to Secrets Manager',
    );
    this.rotationSecurityGroup = new ec2.SecurityGroup(this, 'Rotation', {
      vpc: this.vpc,
      description: 'Practica password rotation: reaches PostgreSQL and Secrets Manager',
      allowAllOutbound: false,
    });
    this.secretsManagerEndpoint.connections.allowDefaultPortFrom(
      this.rotationSecurityGroup,
      'Rotation to Secrets Manager',
    );

    // HTTPS to anywhere: from subnets without a route to the internet that reaches only the
    // DynamoDB gateway endpoint and the interface endpoints. (DynamoDB's managed prefix list
    // would be narrower, but its id differs per region and needs an account lookup to find.)
    this.computeSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs');

    if (props.containerEndpoints) {
      // Image layers are S3 objects; ECR hands out their addresses.
      this.vpc.addGatewayEndpoint('S3', {
        service: ec2.GatewayVpcEndpointAwsService.S3,
        subnets: [this.privateSubnets],
      });
      const services: [string, ec2.InterfaceVpcEndpointAwsService][] = [
        ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
        ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
        ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
      ];
      for (const [id, service] of services) {
        const endpoint = this.vpc.addInterfaceEndpoint(id, {
          service,
          // One AZ: tasks in the other reach it across the VPC (cents per GB) rather than
          // doubling the hourly price; Secrets Manager's, which the Lambda functions use too,
          // stays in both.
          subnets: { subnets: this.vpc.isolatedSubnets.slice(0, 1) },
          privateDnsEnabled: true,
          open: false,
        });
        endpoint.connections.allowDefaultPortFrom(this.computeSecurityGroup, `Tasks to ${id}`);
      }
    }

    if (props.publicSubnets) {
      this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancer', {
        vpc: this.vpc,
        description: 'Practica load balancer: admits CloudFront VPC origin, reaches the tasks',
        allowAllOutbound: false,
      });
      // CloudFront's VPC origin connects from network interfaces it places in this VPC, with
      // private addresses: CloudFront's origin-facing prefix list (its public ranges) would
      // never match them. The load balancer has no public address and no route from the
      // internet, so only something already inside the VPC can reach it, and practica still
      // refuses /api/* requests without the origin secret (docs/DEPLOY.md, "The origin secret").
      this.loadBalancerSecurityGroup.addIngressRule(
        ec2.Peer.ipv4(kVpcCidr),
        ec2.Port.tcp(80),
        'CloudFront VPC origin',
      );
      this.loadBalancerSecurityGroup.connections.allowTo(
        this.computeSecurityGroup,
        ec2.Port.tcp(kApiPort),
        'Load balancer to practica',
      );
    }
  }
}
