// The web ACL in front of CloudFront. A CLOUDFRONT-scoped web ACL exists only in us-east-1, so
// this construct goes in a stack of its own there (see practica-app.ts); an HTTP API cannot take
// a web ACL at all, which is one more reason the API is reached only through CloudFront.
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

// AWS managed rule groups, in the order WAF evaluates them (cheap IP checks first).
export const kManagedRuleGroups = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
];

export interface FirewallProps {
  // Requests per client address per 5 minutes to /api/auth/* before WAF blocks it. practica
  // limits per minute itself (PRACTICA_AUTH_RATE_PER_MINUTE); this stops floods before they
  // cost a Lambda invocation.
  readonly authRequestsPer5Minutes: number;
}

function visibility(name: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true };
}

export class Firewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: FirewallProps) {
    super(scope, id);
    const rules: wafv2.CfnWebACL.RuleProperty[] = [];
    // Before the managed groups: a flood of sign-in attempts is blocked by address first.
    rules.push({
      name: 'AuthRateLimit',
      priority: 0,
      action: { block: {} },
      statement: {
        rateBasedStatement: {
          aggregateKeyType: 'IP',
          limit: props.authRequestsPer5Minutes,
          evaluationWindowSec: 300,
          scopeDownStatement: {
            byteMatchStatement: {
              fieldToMatch: { uriPath: {} },
              positionalConstraint: 'STARTS_WITH',
              searchString: '/api/auth/',
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
        },
      },
      visibilityConfig: visibility('AuthRateLimit'),
    });
    kManagedRuleGroups.forEach((name, index) => {
      rules.push({
        name,
        priority: index + 1,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name,
            // The common set blocks request bodies over 8 KB; course bundles and GIFT files
            // that instructors import are larger. practica caps bodies itself (1 MiB, 413),
            // so this one rule only counts.
            ruleActionOverrides:
              name === 'AWSManagedRulesCommonRuleSet'
                ? [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }]
                : undefined,
          },
        },
        visibilityConfig: visibility(name),
      });
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: 'Practica: managed rule groups and a sign-in rate limit in front of CloudFront',
      rules,
      visibilityConfig: visibility('Practica'),
    });
  }
}
