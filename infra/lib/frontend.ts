// The edge: one CloudFront distribution that serves the web app (web/dist) from a private S3
// bucket and forwards /api/* to the API, uncached, behind the web ACL.
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { DomainSettings } from './settings';

// The headers practica's pipeline adds to every response (src/http/pipeline.cc,
// AddSecurityHeaders; a test keeps the two equal), so that files from S3 carry the same
// policy as the API, plus HSTS, which only the edge can promise.
export const kSecurityHeaders = {
  contentSecurityPolicy:
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  referrerPolicy: 'strict-origin-when-cross-origin',
  crossOriginOpenerPolicy: 'same-origin',
  permissionsPolicy: 'camera=(), microphone=(), geolocation=()',
};

// The single-page app's routes (/courses/x, /me/progress) are not files. A viewer-request
// function serves index.html for any path whose last segment has no dot. Distribution-wide
// error responses (403/404 → index.html) would do the same for S3, but would also turn the API's
// own 403 and 404 problem+json answers into the app's HTML with status 200.
const kSpaRoutingCode = `
function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
`;

export interface FrontendProps {
  // Where /api/* goes: the HTTP API (serverless) or the load balancer (container).
  readonly apiOrigin: cloudfront.IOrigin;
  // The CLOUDFRONT-scoped web ACL (made in us-east-1).
  readonly webAclArn: string;
  // With a domain: its certificate (us-east-1) and the zone to add the alias records to.
  readonly domain?: { settings: DomainSettings; certificate: acm.ICertificate };
  readonly removalPolicy: RemovalPolicy;
  // The built web app to upload on deploy (settings.webDist); none: the bucket is left as it is.
  readonly webDist?: string;
}

export class Frontend extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: FrontendProps) {
    super(scope, id);
    this.logBucket = new s3.Bucket(this, 'Logs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront's standard logs are delivered with an ACL grant to the bucket owner.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the site bucket and the distribution; logging its ' +
        'own access would log the log deliveries.',
    });

    this.bucket = new s3.Bucket(this, 'Site', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      // Old builds' files are kept a while, for a rollback and for pages still loading them.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: props.removalPolicy,
    });

    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Practica: the security headers practica sends, plus HSTS',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: kSecurityHeaders.contentSecurityPolicy,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: false,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Cross-Origin-Opener-Policy',
            value: kSecurityHeaders.crossOriginOpenerPolicy,
            override: true,
          },
          {
            header: 'Permissions-Policy',
            value: kSecurityHeaders.permissionsPolicy,
            override: true,
          },
        ],
      },
    });

    const spaRouting = new cloudfront.Function(this, 'SpaRouting', {
      comment: 'Practica: app routes (paths without a file extension) serve index.html',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(kSpaRoutingCode),
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Practica: the web app and /api/*',
      defaultRootObject: 'index.html',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Only a custom certificate can choose; the default one is fixed by AWS (see CFR4 below).
      minimumProtocolVersion: props.domain
        ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021
        : undefined,
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      certificate: props.domain?.certificate,
      domainNames: props.domain ? [props.domain.settings.name] : undefined,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
        functionAssociations: [
          { function: spaRouting, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: props.apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Nothing cached: answers depend on the caller. With caching off, this policy
          // forwards every viewer header (Authorization too), the cookies and the query string,
          // all but Host, which must be the API's own.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
          compress: true,
        },
      },
    });
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without -c domain the distribution answers on *.cloudfront.net with the default ' +
          'certificate, whose minimum protocol AWS fixes at TLSv1; with a domain it uses its ' +
          'own certificate and TLSv1.2_2021.',
      });
    }
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Practica serves learners everywhere; no country is blocked. The web ACL filters ' +
        'abuse by behaviour (rate, managed rules) instead of by geography.',
    });

    if (props.webDist) this.deployWebApp(props.webDist);

    if (props.domain) {
      const { settings } = props.domain;
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: settings.hostedZoneId,
        zoneName: settings.hostedZoneName,
      });
      const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.distribution));
      const recordName = settings.name === settings.hostedZoneName ? undefined : settings.name;
      new route53.ARecord(this, 'AliasV4', { zone, recordName, target });
      new route53.AaaaRecord(this, 'AliasV6', { zone, recordName, target });
    }
  }

  // Uploads the build and invalidates every path once it is in the bucket. Files of earlier
  // builds are kept (no prune): a page loaded before the deploy still finds the hashed scripts
  // it asks for, and index.html, which names them, is replaced. The precompressed copies are
  // left out: CloudFront compresses by itself.
  private deployWebApp(webDist: string): void {
    const deployment = new s3deploy.BucketDeployment(this, 'WebApp', {
      sources: [s3deploy.Source.asset(webDist, { exclude: ['*.gz', '*.br'] })],
      destinationBucket: this.bucket,
      prune: false,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    // The custom resource's function and role are CDK's own: one function per stack, made
    // beside this construct rather than inside it. Its findings are acknowledged on it alone.
    const scope = deployment.handlerRole.node.scope ?? deployment;
    Validations.of(scope).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "BucketDeployment's role is CDK's own, with AWSLambdaBasicExecutionRole for its logs; " +
        'its function runs only while a deploy uploads the web app.',
    });
    // What CDK grants it, each wildcard with what it is for.
    const siteBucket = Stack.of(this).resolve(this.bucket.bucketArn);
    const region = Stack.of(this).region;
    const wildcards: [string, string][] = [
      ['Action::s3:GetObject*', 'reads the zipped build from the asset bucket'],
      ['Action::s3:GetBucket*', 'reads the location of the asset and site buckets'],
      ['Action::s3:List*', 'lists the site bucket to compare the build with what is there'],
      ['Action::s3:DeleteObject*', 'may delete, which CDK always grants; with prune off it deletes nothing'],
      ['Action::s3:Abort*', 'aborts its own multipart uploads to the site bucket when they fail'],
      [
        `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${region}/*`,
        "reads the build's zip among CDK's assets, whose key only the deploy knows",
      ],
      [
        `Resource::<${siteBucket['Fn::GetAtt'][0]}.Arn>/*`,
        "writes every file of the build into the site bucket, whose names change with each build",
      ],
      ['Resource::*', 'CDK grants cloudfront:CreateInvalidation on "*" for the invalidation'],
    ];
    for (const [wildcard, what] of wildcards) {
      Validations.of(scope).acknowledge({
        id: `AwsSolutions-IAM5[${wildcard}]`,
        reason: `BucketDeployment's role (CDK's own, run only while a deploy uploads the web app) ${what}.`,
      });
    }
    Validations.of(scope).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        "BucketDeployment's function runtime is chosen by aws-cdk-lib, not here; it runs only " +
        'during deploys.',
    });
  }
}
