// Where Practica keeps its state (docs/DATA.md): the DynamoDB table for content and progress, the
// PostgreSQL database for users, and the secrets the servers read.
import { Aws, CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { kLogRetention } from './naming';
import { Network } from './network';

// The non-key attributes the "due" index projects: exactly what a review card needs
// (src/store/dynamodb/table.cc, CreateTable; a test keeps the two lists equal).
export const kDueIndexAttributes = [
  'course',
  'exercise',
  'lesson',
  'stability',
  'difficulty',
  'due',
  'last_review',
  'reps',
  'lapses',
];

// The id of the function CDK's LogRetention adds to a stack (aws-cdk-lib/aws-logs).
const kLogRetentionFunctionId = 'LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a';

export interface DataProps {
  readonly network: Network;
  // Deletion protection on, and the data kept when its stack is deleted.
  readonly production: boolean;
}

export class Data extends Construct {
  readonly table: dynamodb.Table;
  readonly database: rds.DatabaseInstance;
  // The RDS secret (host, port, username, password, dbname) that PRACTICA_USER_STORE names.
  readonly databaseSecret: secretsmanager.ISecret;
  readonly tokenSigningKey: secretsmanager.Secret;
  // The value CloudFront adds to every /api/* request (the origin header), which practica
  // requires (PRACTICA_ORIGIN_SECRET); rotated by the Web stack's rotation function.
  readonly originSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const { network, production } = props;
    const removalPolicy = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The analytics ingest function reads new item images; old images would double the stream.
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      deletionProtection: production,
      removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: 'due',
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: kDueIndexAttributes,
    });

    // The role of CDK's log-retention function (which sets the retention of PostgreSQL's log
    // group below), given rather than made: CDK's own would hold the AWS managed logging policy
    // and the retention actions on every log group. Immutable to CDK, so that nothing adds a
    // statement to it; its one policy is written once the function exists (grantLogRetention).
    const logRetentionRole = new iam.Role(this, 'LogRetentionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "Practica: sets the retention of PostgreSQL's exported log group",
    });

    // A full version: RDS no longer creates instances from a bare major version ("15"). Minor
    // upgrades then come automatically, in the maintenance window.
    const engine = rds.DatabaseInstanceEngine.postgres({
      version: rds.PostgresEngineVersion.VER_15_17,
    });
    this.database = new rds.DatabaseInstance(this, 'Database', {
      engine,
      // Graviton, Free-Tier sized; users and sessions are small and the hot path is DynamoDB.
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      vpc: network.vpc,
      vpcSubnets: network.privateSubnets,
      credentials: rds.Credentials.fromGeneratedSecret('practica'),
      databaseName: 'practica',
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,
      backupRetention: Duration.days(7),
      deleteAutomatedBackups: !production,
      deletionProtection: production,
      removalPolicy: production ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      multiAz: false,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      securityGroups: [network.databaseSecurityGroup],
      // PostgreSQL's own log (errors, slow statements, refused connections) in CloudWatch Logs,
      // kept as long as the functions' logs.
      cloudwatchLogsExports: ['postgresql'],
      cloudwatchLogsRetention: kLogRetention,
      cloudwatchLogsRetentionRole: logRetentionRole.withoutPolicyUpdates(),
      // TLS only. PostgreSQL 15 on RDS defaults to it already; said here so no one turns it off.
      parameterGroup: new rds.ParameterGroup(this, 'Parameters', {
        engine,
        parameters: { 'rds.force_ssl': '1' },
      }),
    });
    Validations.of(this.database).acknowledge({
      id: 'AwsSolutions-RDS3',
      reason:
        'Single-AZ db.t4g.micro is the Free-Tier-sized default (issue 7); Multi-AZ doubles the ' +
        'instance cost. Users are the only data here, with 7 days of point-in-time backups.',
    });
    Validations.of(this.database).acknowledge({
      id: 'AwsSolutions-RDS11',
      reason:
        'The database is in isolated subnets and admits only the API security group; a ' +
        'non-default port adds nothing against a caller that is already inside.',
    });
    if (!production) {
      Validations.of(this.database).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason:
          'The dev stage is a throw-away deployment that `cdk destroy` must be able to remove; ' +
          'the production stage turns deletion protection on.',
      });
    }
    this.databaseSecret = this.database.secret!;
    this.grantLogRetention(logRetentionRole);
    // Single user: practica re-reads the secret when a new connection is refused
    // (docs/DATA.md, "Credentials and rotation"), so the brief window is answered 503.
    this.database.addRotationSingleUser({
      automaticallyAfter: Duration.days(30),
      endpoint: network.secretsManagerEndpoint,
      vpcSubnets: network.privateSubnets,
      securityGroup: network.rotationSecurityGroup,
    });

    // Seed for the access-token signing key, shared by every server process (a key per process
    // would make a token from one Lambda instance invalid on the next).
    this.tokenSigningKey = new secretsmanager.Secret(this, 'TokenSigningKey', {
      description: 'Practica: seed of the access-token signing key (Ed25519)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.tokenSigningKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The signing key rotates by hand (docs/DEPLOY.md, "The token signing key ring"): ' +
        '`practica keys rotate` puts a new key first and keeps the old ones to verify until ' +
        'their tokens expire, and the processes must restart to read it; a Lambda rotation ' +
        'could not restart them.',
    });

    this.originSecret = new secretsmanager.Secret(this, 'OriginSecret', {
      description: 'Practica: the X-Origin-Verify value CloudFront sends to the API',
      // Characters an HTTP header value carries as they are.
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated every 30 days by the Web stack (OriginSecretRotation), where the distribution ' +
        'whose header it changes lives; cdk-nag checks each stack alone and cannot see it.',
    });
  }

  // What the log-retention function does on creation: create (if missing) and set the retention
  // of PostgreSQL's log group, and of its own log group. Both by name, no wildcard.
  private grantLogRetention(role: iam.Role): void {
    const stack = Stack.of(this);
    // The one function CDK's LogRetention adds to a stack, under this id (aws-logs).
    const retention = stack.node.tryFindChild(kLogRetentionFunctionId);
    const fn = retention?.node.tryFindChild('Resource') as CfnResource | undefined;
    if (fn === undefined) throw new Error("CDK's log-retention function was not found");
    const group = (name: string) =>
      `arn:${Aws.PARTITION}:logs:${stack.region}:${Aws.ACCOUNT_ID}:log-group:${name}`;
    const policy = new iam.Policy(this, 'LogRetentionPolicy', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'Retention',
          actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy'],
          resources: [
            group(`/aws/rds/instance/${this.database.instanceIdentifier}/postgresql`),
            group(`/aws/lambda/${fn.ref}`),
          ],
        }),
      ],
    });
    // The retention is set once the policy allows it.
    for (const c of this.database.node.findAll()) {
      if (c instanceof logs.LogRetention) c.node.addDependency(policy);
    }
  }
}
