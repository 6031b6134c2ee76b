// The edge: the web app from a private bucket through CloudFront with origin access control,
// /api/* uncached to the API, the security headers, TLS, and the web ACL from us-east-1.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { kManagedRuleGroups } from '../lib/firewall';
import { kSecurityHeaders } from '../lib/frontend';
import { kEdgeRegion } from '../lib/practica-app';
import {
  cxxStrings,
  kDomainContext,
  kRegion,
  kVariants,
  repositoryFile,
  resourcesOf,
  synthesize,
} from './synth';

// CloudFront's managed policies, by their fixed ids.
const kCachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const kCachingOptimized = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const kAllViewerExceptHostHeader = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const dev = synthesize(kVariants.serverlessDev);
const production = synthesize(kVariants.serverlessProduction);

function distribution(template = dev.templates.web): any {
  const [[, resource]] = resourcesOf(template, 'AWS::CloudFront::Distribution') as any;
  return resource.Properties.DistributionConfig;
}

describe('the site bucket', () => {
  const web = dev.templates.web;
  const siteId = Object.keys(web.findResources('AWS::S3::Bucket')).find((id) =>
    id.startsWith('FrontendSite'),
  );

  it('is private, encrypted and versioned', () => {
    web.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
    });
  });

  it('is read only by this distribution (origin access control), and only over TLS', () => {
    web.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: siteId },
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: {
              StringEquals: {
                'AWS:SourceArn': Match.objectLike({
                  'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^FrontendDistribution') }])],
                }),
              },
            },
          }),
        ],
      },
    });
    web.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
    const [s3Origin] = distribution().Origins.filter((origin: any) => origin.S3OriginConfig);
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
  });
});

describe('the distribution', () => {
  it('serves the app cached and compressed, redirecting http to https', () => {
    expect(distribution().DefaultCacheBehavior).toMatchObject({
      CachePolicyId: kCachingOptimized,
      Compress: true,
      ViewerProtocolPolicy: 'redirect-to-https',
    });
    expect(distribution()).toMatchObject({
      DefaultRootObject: 'index.html',
      PriceClass: 'PriceClass_100',
      HttpVersion: 'http2and3',
      Logging: { Prefix: 'cloudfront/' },
    });
  });

  it('sends /api/* to the API uncached, with every method, cookies and Authorization', () => {
    const behaviors = distribution().CacheBehaviors;
    expect(behaviors).toHaveLength(1);
    expect(behaviors[0]).toMatchObject({
      PathPattern: '/api/*',
      CachePolicyId: kCachingDisabled,
      OriginRequestPolicyId: kAllViewerExceptHostHeader,
      ViewerProtocolPolicy: 'https-only',
    });
    expect([...behaviors[0].AllowedMethods].sort()).toEqual(
      ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'].sort(),
    );
  });

  it("routes the app's paths to index.html without touching the API's errors", () => {
    expect(distribution().CustomErrorResponses).toBeUndefined();
    expect(distribution().DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: expect.anything() },
    ]);
    const [[, fn]] = resourcesOf(dev.templates.web, 'AWS::CloudFront::Function') as any;
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    // The function's own logic, run here as CloudFront would run it.
    const handler = new Function(`${fn.Properties.FunctionCode}; return handler;`)();
    const uri = (path: string) => handler({ request: { uri: path } }).uri;
    expect(uri('/')).toBe('/index.html');
    expect(uri('/courses/everyday-data/lessons/1')).toBe('/index.html');
    expect(uri('/assets/index-3f2a.js')).toBe('/assets/index-3f2a.js');
    expect(uri('/favicon.svg')).toBe('/favicon.svg');
  });

  it('adds the security headers practica sends, the same values, plus HSTS', () => {
    const pipeline = repositoryFile('src/http/pipeline.cc');
    const table = /kHeaders\[\]\s*=\s*\{([\s\S]*?)\n\s*\};/.exec(pipeline);
    expect(table, 'kHeaders not found in pipeline.cc').not.toBeNull();
    const strings = cxxStrings(table![1]!);
    const practica = Object.fromEntries(
      strings.flatMap((value, index) => (index % 2 === 0 ? [[value, strings[index + 1]]] : [])),
    );
    expect(practica).toEqual({
      'Content-Security-Policy': kSecurityHeaders.contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': kSecurityHeaders.referrerPolicy,
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': kSecurityHeaders.crossOriginOpenerPolicy,
      'Permissions-Policy': kSecurityHeaders.permissionsPolicy,
    });
    dev.templates.web.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: {
            ContentSecurityPolicy: kSecurityHeaders.contentSecurityPolicy,
            Override: true,
          },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          StrictTransportSecurity: Match.objectLike({
            AccessControlMaxAgeSec: 31536000,
            Override: true,
          }),
        },
        CustomHeadersConfig: {
          Items: [
            {
              Header: 'Cross-Origin-Opener-Policy',
              Value: kSecurityHeaders.crossOriginOpenerPolicy,
              Override: true,
            },
            {
              Header: 'Permissions-Policy',
              Value: kSecurityHeaders.permissionsPolicy,
              Override: true,
            },
          ],
        },
      }),
    });
    const policy = { Ref: expect.stringMatching(/^FrontendSecurityHeaders/) };
    expect(distribution().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual(policy);
    expect(distribution().CacheBehaviors[0].ResponseHeadersPolicyId).toEqual(policy);
  });

  it('with a domain: its certificate from us-east-1, TLS 1.2 or newer, and DNS aliases', () => {
    expect(production.stacks.edge.region).toBe(kEdgeRegion);
    production.templates.edge.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: kDomainContext.domain,
      ValidationMethod: 'DNS',
    });
    expect(distribution(production.templates.web)).toMatchObject({
      Aliases: [kDomainContext.domain],
      ViewerCertificate: {
        AcmCertificateArn: expect.anything(),
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
    });
    for (const type of ['A', 'AAAA']) {
      production.templates.web.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: `${kDomainContext.domain}.`,
        Type: type,
        HostedZoneId: kDomainContext.hostedZoneId,
        AliasTarget: Match.objectLike({ HostedZoneId: Match.anyValue() }),
      });
    }
  });

  it('without a domain: the default certificate, no certificate and no DNS records', () => {
    expect(resourcesOf(dev.templates.edge, 'AWS::CertificateManager::Certificate')).toHaveLength(0);
    expect(resourcesOf(dev.templates.web, 'AWS::Route53::RecordSet')).toHaveLength(0);
    expect(distribution().ViewerCertificate).toBeUndefined();
  });
});

describe('the outputs', () => {
  it('name what the deploy steps need (docs/DEPLOY.md)', () => {
    const outputs = (key: 'data' | 'api' | 'web') =>
      Object.keys(production.templates[key].findOutputs('*'))
        .filter((name) => !name.startsWith('ExportsOutput'))
        .sort();
    expect(outputs('data')).toEqual(['DatabaseSecretArn', 'TableName']);
    expect(outputs('api')).toEqual([
      'AdminFunctionName',
      'AlarmTopicArn',
      'DashboardName',
      'FunctionName',
      'IngestFailureQueueUrl',
      'IngestFunctionName',
    ]);
    expect(outputs('web')).toEqual(['DistributionId', 'SiteBucketName', 'Url']);
    production.templates.web.hasOutput('Url', { Value: `https://${kDomainContext.domain}` });
  });
});

describe('the web ACL', () => {
  const edge = dev.templates.edge;

  it('is CLOUDFRONT-scoped, made in us-east-1, and on the distribution', () => {
    expect(dev.stacks.edge.region).toBe(kEdgeRegion);
    expect(dev.stacks.web.region).toBe(kRegion);
    edge.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
    });
    // CloudFront in the regional stack reads the ARN that the us-east-1 stack exported.
    const webAclId = distribution().WebACLId;
    expect(webAclId['Fn::GetAtt'][1]).toMatch(/FirewallWebAcl.*Arn/);
  });

  it('runs the AWS managed rule groups', () => {
    const [[, acl]] = resourcesOf(edge, 'AWS::WAFv2::WebACL') as any;
    const groups = acl.Properties.Rules.filter((rule: any) => rule.Statement.ManagedRuleGroupStatement)
      .map((rule: any) => rule.Statement.ManagedRuleGroupStatement);
    expect(groups.map((group: any) => group.Name).sort()).toEqual(
      [
        'AWSManagedRulesAmazonIpReputationList',
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
        'AWSManagedRulesSQLiRuleSet',
      ].sort(),
    );
    expect(groups.map((group: any) => group.Name)).toEqual(kManagedRuleGroups);
    for (const group of groups) expect(group.VendorName).toBe('AWS');
  });

  it('limits the rate of requests per address to /api/auth/*', () => {
    edge.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: Match.objectLike({
              AggregateKeyType: 'IP',
              Limit: Match.anyValue(),
              ScopeDownStatement: {
                ByteMatchStatement: Match.objectLike({
                  FieldToMatch: { UriPath: {} },
                  PositionalConstraint: 'STARTS_WITH',
                  SearchString: '/api/auth/',
                }),
              },
            }),
          },
        }),
      ]),
    });
  });
});
