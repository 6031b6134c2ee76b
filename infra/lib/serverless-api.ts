// The API in serverless mode: an HTTP API whose every route goes to one Lambda function running
// `practica lambda` (the zip's bootstrap), in the VPC so it reaches PostgreSQL.
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Data } from './data';
import { kLogRetention } from './naming';
import { Network } from './network';
import {
  addVpcNetworkInterfaceAccess,
  lambdaRole,
  edgeEnvironment,
  lambdaEnvironment,
  practicaAccess,
} from './practica-runtime';

export interface ServerlessApiProps {
  readonly network: Network;
  readonly data: Data;
  // The Lambda package: a zip holding `bootstrap` (practica) and its shared libraries.
  readonly lambdaZip: string;
  readonly reservedConcurrency?: number;
  readonly removalPolicy: RemovalPolicy;
  // Added to the stores' environment (practica-runtime.ts, apiPublicEnvironment).
  readonly environment?: Record<string, string>;
}

export class ServerlessApi extends Construct {
  readonly function: lambda.Function;
  readonly httpApi: apigwv2.HttpApi;
  // The host name CloudFront forwards /api/* to.
  readonly originDomainName: string;

  constructor(scope: Construct, id: string, props: ServerlessApiProps) {
    super(scope, id);
    const { network, data } = props;

    const functionLogs = new logs.LogGroup(this, 'FunctionLogs', {
      retention: kLogRetention,
      removalPolicy: props.removalPolicy,
    });
    // Written by hand rather than from the AWS managed policies, so that each statement can be
    // read, tested and narrowed (IAM least privilege, issue 7).
    const role = lambdaRole(
      this,
      'FunctionRole',
      'Practica API function: its log group, its table, its database secret',
      functionLogs,
    );
    addVpcNetworkInterfaceAccess(role);
    for (const statement of practicaAccess(data)) role.addToPolicy(statement);

    this.function = new lambda.Function(this, 'Function', {
      description: 'Practica API (practica lambda)',
      runtime: lambda.Runtime.PROVIDED_AL2023,
      architecture: lambda.Architecture.ARM_64,
      handler: 'bootstrap',
      code: lambda.Code.fromAsset(props.lambdaZip),
      // Lambda's CPU share grows with memory: 1 GB keeps Argon2id sign-ins well under a second.
      memorySize: 1024,
      // Just under the HTTP API's 30 s integration limit, so Lambda's timeout is the one seen.
      timeout: Duration.seconds(29),
      role,
      logGroup: functionLogs,
      reservedConcurrentExecutions: props.reservedConcurrency,
      vpc: network.vpc,
      vpcSubnets: network.privateSubnets,
      securityGroups: [network.computeSecurityGroup],
      environment: {
        ...lambdaEnvironment(data, props.environment),
        ...edgeEnvironment(data, 1),
      },
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: kLogRetention,
      removalPolicy: props.removalPolicy,
    });
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'Practica API: every route to practica',
      defaultIntegration: new HttpLambdaIntegration('Practica', this.function, {
        payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
      }),
      createDefaultStage: false,
    });
    new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    for (const route of this.httpApi.node.findAll()) {
      if (route instanceof apigwv2.CfnRoute) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'practica authorises every request itself (bearer tokens verified in process, ' +
            'roles per route in api/routes.cc); the catalog and sign-in routes must stay public.',
        });
      }
    }
    this.originDomainName = `${this.httpApi.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
  }
}
