// Rotation of the origin secret (the X-Origin-Verify value CloudFront sends to the API): a small
// Node.js function (infra/lambda/origin-secret-rotation/) that Secrets Manager runs every 30 days
// through its four steps, putting the new value on the distribution before making it current.
// practica accepts the current, previous and pending values and re-reads them when it meets one
// it does not know, so no request is refused while CloudFront's edges switch over.
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { kLogRetention } from './naming';
import { kOriginHeader, lambdaRole } from './practica-runtime';

export const kOriginRotationCode = path.resolve(__dirname, '..', 'lambda', 'origin-secret-rotation');
export const kOriginRotationDays = 30;

export interface OriginSecretRotationProps {
  readonly secret: secretsmanager.ISecret;
  readonly distribution: cloudfront.IDistribution;
  readonly removalPolicy: RemovalPolicy;
}

export class OriginSecretRotation extends Construct {
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: OriginSecretRotationProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: kLogRetention,
      removalPolicy: props.removalPolicy,
    });
    const role = lambdaRole(
      this,
      'Role',
      'Practica origin secret rotation: the secret, the distribution, its log group',
      logGroup,
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Distribution',
        actions: ['cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution'],
        resources: [
          Stack.of(this).formatArn({
            service: 'cloudfront',
            region: '',
            resource: 'distribution',
            resourceName: props.distribution.distributionId,
          }),
        ],
      }),
    );
    this.function = new lambda.Function(this, 'Function', {
      description: 'Practica: rotates the origin secret and the header CloudFront sends',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(kOriginRotationCode),
      memorySize: 256,
      // UpdateDistribution answers at once; CloudFront deploys to its edges afterwards.
      timeout: Duration.seconds(60),
      role,
      logGroup,
      environment: {
        DISTRIBUTION_ID: props.distribution.distributionId,
        ORIGIN_HEADER: kOriginHeader,
      },
    });
    // Adds the invoke permission for Secrets Manager and the secret's four actions to the role.
    new secretsmanager.RotationSchedule(this, 'Schedule', {
      secret: props.secret,
      rotationLambda: this.function,
      automaticallyAfter: Duration.days(kOriginRotationDays),
      // Not while the stack that holds the distribution is being deployed: the first rotation
      // comes a rotation period later (or by `aws secretsmanager rotate-secret`).
      rotateImmediatelyOnUpdate: false,
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'RotationSchedule grants secretsmanager:GetRandomPassword, which has no resource-level ' +
        'permissions; every other statement names the secret, the distribution or the log group.',
    });
  }
}
