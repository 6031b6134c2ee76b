// `practica migrate` and `practica user set-role` where the database is reachable only from inside
// the VPC, without a container: a function from the same zip whose `practica lambda` answers only
// admin command events (PRACTICA_LAMBDA_HANDLER=admin, src/lambda/admin_event.h), which nothing
// invokes but an IAM principal allowed lambda:InvokeFunction on it (no trigger, no URL, no API).
//
// On every deploy that changes the zip, a custom resource invokes it with the migrate command
// before the API (function or service) and the ingest function are updated, so new code never
// meets an old schema; a migration that fails fails the deploy, and CloudFormation rolls back.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { CustomResource, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
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

// The event that runs `practica migrate` (src/lambda/admin_event.h); docs/DEPLOY.md shows the
// set-role one.
export const kMigrateEvent = { practica_admin: 'migrate' };

// The custom resource's handler: invokes the admin function with the migrate event and answers
// CloudFormation (a PUT to the pre-signed ResponseURL), FAILED with practica's error when the
// invocation reports one. Deletes do nothing: a schema outlives its stack.
export const kMigrateHandlerCode = `
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
const client = new LambdaClient({});
exports.handler = async (event) => {
  let status = 'SUCCESS';
  let reason = 'nothing to do on delete';
  try {
    if (event.RequestType !== 'Delete') {
      const answer = await client.send(new InvokeCommand({
        FunctionName: process.env.ADMIN_FUNCTION,
        Payload: JSON.stringify(${JSON.stringify(kMigrateEvent)}),
      }));
      const payload = Buffer.from(answer.Payload ?? []).toString('utf8');
      console.log(JSON.stringify({ functionError: answer.FunctionError ?? null, payload }));
      if (answer.FunctionError) {
        status = 'FAILED';
        reason = 'practica migrate failed: ' + payload;
      } else {
        reason = 'practica migrate: ' + payload;
      }
    }
  } catch (error) {
    status = 'FAILED';
    reason = 'invoking practica migrate failed: ' + String(error);
  }
  const body = JSON.stringify({
    Status: status,
    Reason: reason.slice(0, 2000),
    PhysicalResourceId: event.PhysicalResourceId ?? 'practica-migrate',
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
};
`;

export interface AdminCommandsProps {
  readonly network: Network;
  readonly data: Data;
  readonly lambdaZip: string;
  readonly removalPolicy: RemovalPolicy;
}

export class AdminCommands extends Construct {
  readonly function: lambda.Function;
  // Depend on this to start after the schema is migrated.
  readonly migration: CustomResource;

  constructor(scope: Construct, id: string, props: AdminCommandsProps) {
    super(scope, id);
    const { network, data } = props;

    const logGroup = new logs.LogGroup(this, 'FunctionLogs', {
      retention: kLogRetention,
      removalPolicy: props.removalPolicy,
    });
    const role = lambdaRole(
      this,
      'FunctionRole',
      'Practica admin commands (migrate, set-role): its log group, the table, the database secret',
      logGroup,
    );
    addVpcNetworkInterfaceAccess(role);
    // `migrate` creates the table where it is missing (here it never is: CreateTable answers
    // that it exists) and checks its keys and index; it reads and writes no item. set-role
    // touches only the users in PostgreSQL.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TableMigration',
        actions: ['dynamodb:CreateTable', 'dynamodb:DescribeTable'],
        resources: [data.table.tableArn],
      }),
    );
    role.addToPolicy(databaseSecretAccess(data));

    this.function = new lambda.Function(this, 'Function', {
      description:
        'Practica admin commands: migrate, user set-role (practica lambda --handler admin)',
      runtime: lambda.Runtime.PROVIDED_AL2023,
      architecture: lambda.Architecture.ARM_64,
      handler: 'bootstrap',
      code: lambda.Code.fromAsset(props.lambdaZip),
      memorySize: 512,
      // A migration rebuilds rollups (docs/DATA.md); minutes at most at this platform's sizes.
      timeout: Duration.minutes(10),
      role,
      logGroup,
      vpc: network.vpc,
      vpcSubnets: network.privateSubnets,
      securityGroups: [network.computeSecurityGroup],
      environment: lambdaEnvironment(data, { PRACTICA_LAMBDA_HANDLER: 'admin' }),
    });

    // The migrate step of each deploy: outside the VPC (it only calls Lambda's API).
    const handlerLogs = new logs.LogGroup(this, 'MigrateOnDeployLogs', {
      retention: kLogRetention,
      removalPolicy: props.removalPolicy,
    });
    const handlerRole = lambdaRole(
      this,
      'MigrateOnDeployRole',
      'Practica: runs the migrate command on deploy (invokes the admin function only)',
      handlerLogs,
    );
    handlerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeAdmin',
        actions: ['lambda:InvokeFunction'],
        resources: [this.function.functionArn],
      }),
    );
    const handler = new lambda.Function(this, 'MigrateOnDeploy', {
      description: 'Practica: invokes the admin function with the migrate command on each deploy',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(kMigrateHandlerCode),
      // The admin function's timeout and a minute to answer CloudFormation.
      timeout: Duration.minutes(11),
      memorySize: 256,
      role: handlerRole,
      logGroup: handlerLogs,
      environment: { ADMIN_FUNCTION: this.function.functionName },
    });
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the newest runtime the inline handler is written and checked for; it ' +
        'only calls lambda:Invoke once per deploy and answers CloudFormation, so a runtime ' +
        'upgrade is a deliberate change, not a silent one.',
    });

    // A new zip, a new fingerprint, an Update: migrate runs again (and not on deploys that
    // change nothing of the code, where the schema cannot have moved).
    this.migration = new CustomResource(this, 'Migration', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::PracticaMigrate',
      properties: { ZipSha256: sha256(props.lambdaZip) },
    });
    // The function's role and log group must exist before it is invoked.
    this.migration.node.addDependency(role, handlerRole);
  }
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
