// Checks over every template of every variant: cfn-lint, the cdk-nag AwsSolutions pack, IAM
// without `*` where AWS allows narrower, finite log retention, and buckets that are private,
// encrypted and TLS-only.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import {
  buildApp,
  kStackKeys,
  kVariants,
  resourcesOf,
  Synthesis,
  synthesize,
} from './synth';

const variants = Object.entries(kVariants).map(
  ([name, context]) => [name, synthesize(context)] as [string, Synthesis],
);

// cfn-lint rules left out, each for a reason:
//   W3005  "dependency already enforced by a GetAtt": CDK writes an explicit DependsOn on a
//          Lambda function's role beside the GetAtt of its ARN; redundant, never wrong.
const kIgnoredCfnLintRules = ['W3005'];

// Findings of an older cfn-lint resource schema than the CDK's: these resource types accept
// Tags in CloudFormation (aws-cdk-lib's L1s are generated from the current registry schemas)
// but cfn-lint 1.51's bundled schemas do not list them yet.
const kTagsUnknownToCfnLint = [
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::CloudWatch::Dashboard',
];

interface CfnLintMatch {
  Rule: { Id: string };
  Message: string;
  Filename: string;
  Location: { Path: (string | number)[] };
}

function cfnLint(files: string[]): CfnLintMatch[] {
  const run = spawnSync(
    'cfn-lint',
    ['--format', 'json', '--ignore-checks', ...kIgnoredCfnLintRules, '--', ...files],
    { encoding: 'utf8' },
  );
  if (run.error) throw new Error(`cannot run cfn-lint (scripts/setup installs it): ${run.error}`);
  // Exit codes: 0 clean, else a bit mask of error (2), warning (4), informational (8) findings.
  if (run.status !== 0 && run.stdout.trim() === '') throw new Error(run.stderr);
  return JSON.parse(run.stdout || '[]') as CfnLintMatch[];
}

// One cfn-lint run over every template of every variant (it costs seconds to start).
let lintFindings: CfnLintMatch[] | undefined;
function lintFindingsFor(files: string[]): CfnLintMatch[] {
  lintFindings ??= cfnLint(
    variants.flatMap(([, synthesis]) => kStackKeys.map((key) => synthesis.templateFile(key))),
  );
  return lintFindings.filter((finding) => files.includes(finding.Filename));
}

describe.each(variants)('%s', (_name, synthesis) => {
  const templates = kStackKeys.map((key) => synthesis.templates[key]);

  it('passes cfn-lint', () => {
    const files = kStackKeys.map((key) => synthesis.templateFile(key));
    const findings = lintFindingsFor(files).filter((finding) => {
      if (finding.Rule.Id !== 'E3002' || !finding.Message.includes("'Tags' was unexpected")) {
        return true;
      }
      const [, logicalId] = finding.Location.Path;
      const template = JSON.parse(fs.readFileSync(finding.Filename, 'utf8'));
      return !kTagsUnknownToCfnLint.includes(template.Resources[logicalId!].Type);
    });
    expect(findings.map((f) => `${f.Rule.Id} ${f.Filename}: ${f.Message}`)).toEqual([]);
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged, error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(synthesis.app);
    const findings = report.violations.map(
      (violation) =>
        `${violation.severity} ${violation.ruleName}: ${violation.description} at ` +
        violation.violatingResources.map((resource) => resource.constructPath).join(', '),
    );
    expect(findings).toEqual([]);
  });

  it('grants no IAM action on `*` where the action can be scoped to a resource', () => {
    // Actions that AWS evaluates only against "*" (no resource-level permissions).
    const kUnscopable = new Set([
      'ec2:CreateNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
      'ecr:GetAuthorizationToken',
      'secretsmanager:GetRandomPassword',
    ]);
    const offending: string[] = [];
    for (const template of templates) {
      for (const [id, statement] of allowStatements(template)) {
        // CDK's own BucketDeployment function (the web app's upload, run during deploys only)
        // comes with the grants CDK writes; its cdk-nag acknowledgements name each wildcard.
        if (id.startsWith('CustomCDKBucketDeployment')) continue;
        const actions = [statement.Action].flat();
        const resources = [statement.Resource].flat();
        for (const action of actions) {
          if (String(action).includes('*')) offending.push(`${id}: wildcard action ${action}`);
        }
        if (resources.includes('*')) {
          for (const action of actions) {
            if (!kUnscopable.has(action)) offending.push(`${id}: ${action} on *`);
          }
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('keeps every log group for a finite time', () => {
    for (const template of templates) {
      for (const [id, logGroup] of resourcesOf(template, 'AWS::Logs::LogGroup')) {
        expect(logGroup.Properties?.RetentionInDays, id).toBeGreaterThan(0);
      }
    }
  });

  it('keeps every bucket private, encrypted, and reachable only over TLS', () => {
    for (const template of templates) {
      const policies = resourcesOf(template, 'AWS::S3::BucketPolicy');
      for (const [id, bucket] of resourcesOf(template, 'AWS::S3::Bucket')) {
        expect(bucket.Properties?.BucketEncryption, id).toBeDefined();
        expect(bucket.Properties?.PublicAccessBlockConfiguration, id).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        const policy = policies.find(([, p]) => p.Properties?.Bucket?.Ref === id);
        expect(policy, `${id} has no bucket policy`).toBeDefined();
        expect(policy![1].Properties!.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    }
  });
});

// Allowed statements of every IAM policy in a template (policies and roles' inline policies).
function allowStatements(template: Template): [string, any][] {
  const statements: [string, any][] = [];
  for (const [id, policy] of resourcesOf(template, 'AWS::IAM::Policy')) {
    for (const statement of policy.Properties!.PolicyDocument.Statement) {
      statements.push([id, statement]);
    }
  }
  for (const [id, role] of resourcesOf(template, 'AWS::IAM::Role')) {
    for (const inline of role.Properties?.Policies ?? []) {
      for (const statement of inline.PolicyDocument.Statement) statements.push([id, statement]);
    }
  }
  return statements.filter(([, statement]) => statement.Effect === 'Allow');
}

describe('cdk-nag acknowledgements', () => {
  const acknowledged: { path: string; id: string; reason: string }[] = [];
  const visit = (node: IConstruct) => {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        // aws-cdk-lib acknowledges some of its own validator's findings; only ours count here.
        const id = key.replace(/^annotation::/i, '');
        if (id.startsWith('AwsSolutions-')) acknowledged.push({ path: node.node.path, id, reason });
      }
    }
    node.node.children.forEach(visit);
  };
  for (const [, synthesis] of variants) visit(synthesis.app);

  it('each give a specific reason', () => {
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledged) {
      expect(reason.length, `${id} at ${path}: "${reason}"`).toBeGreaterThanOrEqual(80);
      expect(reason, `${id} at ${path}`).not.toMatch(/\b(TODO|placeholder|not needed|n\/a)\b/i);
    }
    // One reason per rule and place: no blanket text pasted over several rules.
    const byReason = new Map<string, Set<string>>();
    for (const { id, reason } of acknowledged) {
      byReason.set(reason, (byReason.get(reason) ?? new Set()).add(id.replace(/\[.*$/, '')));
    }
    for (const [reason, ids] of byReason) expect(ids.size, reason).toBe(1);
  });

  it('are made on the resource they concern, never on a whole stack or the app', () => {
    for (const { path, id } of acknowledged) {
      expect(path.split('/').length, `${id} acknowledged at ${path}`).toBeGreaterThan(1);
    }
  });

  it('do not hide a new finding: an unacknowledged one fails the synth', () => {
    const { app, stacks } = buildApp(kVariants.serverlessDev);
    // A bucket with none of the settings the pack asks for.
    new s3.Bucket(stacks.web as Stack, 'Careless', { enforceSSL: false });
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });
});
