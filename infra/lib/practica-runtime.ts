// What a practica process on AWS needs, whichever compute runs it (Lambda or Fargate): the
// environment that points its stores at the table and the database, and the IAM statements that
// allow exactly the calls those stores make.
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { Data } from './data';

// Every DynamoDB action the adapters call (src/aws/dynamodb.cc, src/store/dynamodb/): reads and
// conditional writes of single items, Query (also on the "due" index), the batch calls,
// DeleteItem, and DescribeTable for the start-up and readiness checks. Not CreateTable:
// the table is made here, and `practica migrate` finds it.
export const kTableActions = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DescribeTable',
];

export function practicaAccess(data: Data): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'Table',
      actions: kTableActions,
      resources: [data.table.tableArn, `${data.table.tableArn}/index/due`],
    }),
    databaseSecretAccess(data),
    new iam.PolicyStatement({
      sid: 'EdgeSecrets',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [data.tokenSigningKey.secretArn, data.originSecret.secretArn],
    }),
  ];
}

// The header CloudFront adds to every /api/* request, holding the origin secret's value
// (src/app/origin_secret.h, kOriginHeader; a test keeps the two equal).
export const kOriginHeader = 'X-Origin-Verify';

// What an API process needs beyond its stores: the key ring every instance shares (so a token
// one signs verifies in all), the origin secret it requires of /api/* requests, and how many
// proxies append to X-Forwarded-For in front of it (docs/DEPLOY.md, "Client addresses"):
// serverless, CloudFront (API Gateway is the peer itself); container, CloudFront and the ALB.
export function edgeEnvironment(data: Data, trustedProxies: number): Record<string, string> {
  return {
    PRACTICA_KEY_SECRET: data.tokenSigningKey.secretArn,
    PRACTICA_ORIGIN_SECRET: data.originSecret.secretArn,
    PRACTICA_TRUSTED_PROXIES: String(trustedProxies),
  };
}

// The database secret that PRACTICA_USER_STORE and PRACTICA_ANALYTICS_STORE both name.
export function databaseSecretAccess(data: Data): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DatabaseSecret',
    actions: ['secretsmanager:GetSecretValue'],
    resources: [data.databaseSecret.secretArn],
  });
}

// What AWSLambdaVPCAccessExecutionRole grants; Lambda calls these for a function in a VPC.
export const kVpcNetworkInterfaceActions = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

// The role of a Lambda function, allowed to write to its own log group and nothing else yet:
// the caller adds what the function uses. Written by hand rather than by CDK's defaults, so each
// statement can be read and tested.
export function lambdaRole(
  scope: Construct,
  id: string,
  description: string,
  logGroup: logs.ILogGroup,
): iam.Role {
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description,
  });
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'Logs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );
  return role;
}

// The network-interface statement of a Lambda function in the VPC, with the cdk-nag
// acknowledgement of its `*` on the role that holds it.
export function addVpcNetworkInterfaceAccess(role: iam.Role): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'VpcNetworkInterfaces',
      actions: kVpcNetworkInterfaceActions,
      resources: ['*'],
    }),
  );
  acknowledgeVpcNetworkInterfaces(role);
}

function acknowledgeVpcNetworkInterfaces(scope: IConstruct): void {
  Validations.of(scope).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'The VPC network-interface actions Lambda performs for a function in a VPC act on ' +
      'interfaces that do not exist yet; EC2 offers no narrower resource for them.',
  });
}

// The store settings as practica reads them (README.md, "More"); `extra` adds what differs
// between computes. Users and analytics share the one database and its secret; attempts reach
// analytics through the table's stream and the ingest function (analytics-ingest.ts).
export function practicaEnvironment(
  data: Data,
  extra: Record<string, string>,
): Record<string, string> {
  const database = `postgres:secret:${data.databaseSecret.secretArn}`;
  return {
    PRACTICA_CONTENT_STORE: `dynamodb:${data.table.tableName}`,
    PRACTICA_PROGRESS_STORE: `dynamodb:${data.table.tableName}`,
    PRACTICA_USER_STORE: database,
    PRACTICA_ANALYTICS_STORE: database,
    PRACTICA_LOG_LEVEL: 'info',
    ...extra,
  };
}

// The environment of every Lambda function running the zip (the API, the ingest function, the
// admin commands); `extra` adds what differs between them (PRACTICA_LAMBDA_HANDLER, …).
export function lambdaEnvironment(
  data: Data,
  extra: Record<string, string> = {},
): Record<string, string> {
  return practicaEnvironment(data, {
    // The only writable place in Lambda; it holds nothing that must outlive an instance.
    PRACTICA_DATA_DIR: '/tmp',
    // Content comes from the table (`practica import`), never from the package.
    PRACTICA_SEED_CONTENT: '',
    ...extra,
  });
}

// What the API (function or tasks) adds for its public side: CloudWatch metrics as EMF lines in
// its log stream (observability.ts), and the public address an xAPI download names.
export function apiPublicEnvironment(publicUrl: string | undefined): Record<string, string> {
  return {
    PRACTICA_METRICS: 'emf',
    ...(publicUrl ? { PRACTICA_PUBLIC_URL: publicUrl } : {}),
  };
}
