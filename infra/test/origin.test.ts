// The edge's identity items: the origin secret CloudFront sends to the API (and its rotation),
// and the web app uploaded to the site bucket with an invalidation.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { kOriginRotationDays } from '../lib/origin-secret-rotation';
import { kOriginHeader } from '../lib/practica-runtime';
import { readSettings, SettingsError } from '../lib/settings';
import {
  cxxStrings,
  dummyLambdaZip,
  kInfraDir,
  kVariants,
  kWebDistFixture,
  repositoryFile,
  resourcesOf,
  synthesize,
} from './synth';

const serverless = synthesize(kVariants.serverlessDev);
const container = synthesize(kVariants.containerProduction);

function distribution(template: any): any {
  const [[, resource]] = resourcesOf(template, 'AWS::CloudFront::Distribution') as any;
  return resource.Properties.DistributionConfig;
}

describe('the origin secret', () => {
  it('is the header practica checks (src/app/origin_secret.h)', () => {
    const header = repositoryFile('src/app/origin_secret.h');
    const declaration = /kOriginHeader\s*=\s*("[^"]*")/.exec(header);
    expect(cxxStrings(declaration![1]!)).toEqual([kOriginHeader]);
  });

  for (const [name, synthesis] of Object.entries({ serverless, container })) {
    it(`${name}: goes to the API origin only, never to the bucket`, () => {
      const origins = distribution(synthesis.templates.web).Origins;
      const api = origins.filter((origin: any) => !origin.S3OriginConfig);
      const bucket = origins.filter((origin: any) => origin.S3OriginConfig);
      expect(api).toHaveLength(1);
      expect(bucket).toHaveLength(1);
      expect(api[0].OriginCustomHeaders).toEqual([
        { HeaderName: kOriginHeader, HeaderValue: expect.anything() },
      ]);
      // A dynamic reference to the secret, resolved by CloudFormation: the value is never in
      // the template.
      const value = JSON.stringify(api[0].OriginCustomHeaders[0].HeaderValue);
      expect(value).toContain('{{resolve:secretsmanager:');
      expect(value).toMatch(/RefDataOriginSecret/);
      expect(bucket[0].OriginCustomHeaders).toBeUndefined();
    });

    it(`${name}: is generated, 64 characters a header carries as they are`, () => {
      synthesis.templates.data.hasResourceProperties('AWS::SecretsManager::Secret', {
        Description: Match.stringLikeRegexp('X-Origin-Verify'),
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      });
    });

    it(`${name}: rotates every ${kOriginRotationDays} days through a function that updates the distribution`, () => {
      const web = synthesis.templates.web;
      const [[, schedule]] = resourcesOf(web, 'AWS::SecretsManager::RotationSchedule') as any;
      expect(JSON.stringify(schedule.Properties.SecretId)).toMatch(/RefDataOriginSecret/);
      expect(schedule.Properties.RotationRules).toEqual({
        ScheduleExpression: `rate(${kOriginRotationDays} days)`,
      });
      expect(schedule.Properties.RotateImmediatelyOnUpdate).toBe(false);
      const functionId = schedule.Properties.RotationLambdaARN['Fn::GetAtt'][0];
      const fn = web.findResources('AWS::Lambda::Function')[functionId]!;
      expect(fn.Properties.Handler).toBe('index.handler');
      expect(fn.Properties.Environment.Variables).toEqual({
        DISTRIBUTION_ID: { Ref: expect.stringMatching(/^FrontendDistribution/) },
        ORIGIN_HEADER: kOriginHeader,
      });
      web.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
        Principal: 'secretsmanager.amazonaws.com',
      });
    });

    it(`${name}: lets the rotation function change this distribution and this secret only`, () => {
      const web = synthesis.templates.web;
      const statements = resourcesOf(web, 'AWS::IAM::Policy')
        .filter(([id]) => id.startsWith('OriginSecretRotationRole'))
        .flatMap(([, policy]) => policy.Properties!.PolicyDocument.Statement);
      const distributionStatement = statements.find((s: any) => s.Sid === 'Distribution');
      expect(distributionStatement.Action).toEqual([
        'cloudfront:GetDistributionConfig',
        'cloudfront:UpdateDistribution',
      ]);
      expect(JSON.stringify(distributionStatement.Resource)).toMatch(
        /distribution\/".*"Ref":"FrontendDistribution/,
      );
      const secretStatement = statements.find((s: any) =>
        [s.Action].flat().includes('secretsmanager:PutSecretValue'),
      );
      expect(JSON.stringify(secretStatement.Resource)).toMatch(/RefDataOriginSecret/);
    });
  }

  it('is read by the API only: the ingest function gets neither it nor the key ring', () => {
    const fns = resourcesOf(serverless.templates.api, 'AWS::Lambda::Function');
    const environment = (prefix: string) =>
      fns.find(([id]) => id.startsWith(prefix))![1].Properties!.Environment.Variables;
    expect(environment('ApiFunction')).toHaveProperty('PRACTICA_ORIGIN_SECRET');
    expect(environment('IngestFunction')).not.toHaveProperty('PRACTICA_ORIGIN_SECRET');
  });

});

// Secrets Manager and CloudFront as the rotation function sees them, in memory.
class FakeSecret {
  versions = new Map<string, { value?: string; stages: string[] }>([
    ['v0', { value: 'old-value', stages: ['AWSCURRENT'] }],
  ]);
  rotationEnabled = true;

  // What RotateSecret does before calling the function: a version id marked AWSPENDING.
  startRotation(token: string): void {
    this.versions.set(token, { stages: ['AWSPENDING'] });
  }
  valueOf(stage: string): string | undefined {
    return [...this.versions.values()].find((v) => v.stages.includes(stage))?.value;
  }
  readonly client = {
    describe: async () => ({
      RotationEnabled: this.rotationEnabled,
      VersionIdsToStages: Object.fromEntries(
        [...this.versions].map(([id, v]) => [id, [...v.stages]]),
      ),
    }),
    getValue: async ({ VersionId, VersionStage }: any) => {
      const version = this.versions.get(VersionId);
      if (!version?.value || !version.stages.includes(VersionStage)) {
        throw Object.assign(new Error('not found'), { notFound: true });
      }
      return version.value;
    },
    putValue: async ({ ClientRequestToken, SecretString, VersionStages }: any) => {
      this.versions.set(ClientRequestToken, { value: SecretString, stages: VersionStages });
    },
    updateStage: async ({ VersionStage, MoveToVersionId, RemoveFromVersionId }: any) => {
      expect(VersionStage).toBe('AWSCURRENT');
      for (const version of this.versions.values()) {
        version.stages = version.stages.filter((stage) => stage !== 'AWSPREVIOUS');
      }
      const old = this.versions.get(RemoveFromVersionId)!;
      old.stages = [...old.stages.filter((stage) => stage !== 'AWSCURRENT'), 'AWSPREVIOUS'];
      const next = this.versions.get(MoveToVersionId)!;
      next.stages = ['AWSCURRENT', ...next.stages.filter((stage) => stage !== 'AWSPENDING')];
    },
    isNotFound: (error: any) => error.notFound === true,
  };
}

class FakeDistribution {
  etag = 1;
  updates = 0;
  config: any = {
    Origins: {
      Items: [
        { Id: 'site', S3OriginConfig: {} },
        {
          Id: 'api',
          CustomHeaders: { Quantity: 1, Items: [{ HeaderName: kOriginHeader, HeaderValue: 'old-value' }] },
        },
      ],
    },
  };
  readonly client = {
    getConfig: async ({ Id }: any) => {
      expect(Id).toBe('E123');
      return { DistributionConfig: structuredClone(this.config), ETag: `etag-${this.etag}` };
    },
    update: async ({ IfMatch, DistributionConfig }: any) => {
      if (IfMatch !== `etag-${this.etag}`) throw new Error('PreconditionFailed');
      this.config = DistributionConfig;
      this.etag += 1;
      this.updates += 1;
    },
  };
  headerOf(id: string): string | undefined {
    const origin = this.config.Origins.Items.find((o: any) => o.Id === id);
    return origin.CustomHeaders?.Items.find((h: any) => h.HeaderName === kOriginHeader)?.HeaderValue;
  }
}

describe('the origin secret rotation function', async () => {
  const code = path.join(kInfraDir, 'lambda', 'origin-secret-rotation', 'index.mjs');
  const { rotationHandler } = await import(code);
  const make = (secret: FakeSecret, distribution: FakeDistribution) =>
    rotationHandler({
      secrets: secret.client,
      cloudfront: distribution.client,
      distributionId: 'E123',
      headerName: kOriginHeader,
    });
  const steps = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];

  it('puts the new value on the API origin before making it current', async () => {
    const secret = new FakeSecret();
    const distribution = new FakeDistribution();
    const rotate = make(secret, distribution);
    secret.startRotation('v1');
    const event = (Step: string) => ({ SecretId: 'origin', ClientRequestToken: 'v1', Step });

    await rotate(event('createSecret'));
    const pending = secret.valueOf('AWSPENDING')!;
    expect(pending).toMatch(/^[A-Za-z0-9_-]{64}$/);
    await rotate(event('createSecret')); // a retried step changes nothing
    expect(secret.valueOf('AWSPENDING')).toBe(pending);
    // Before setSecret the distribution still sends the current value: the test step fails.
    await expect(rotate(event('testSecret'))).rejects.toThrow(/does not send the pending value/);

    await rotate(event('setSecret'));
    expect(distribution.headerOf('api')).toBe(pending);
    expect(distribution.headerOf('site')).toBeUndefined();
    expect(secret.valueOf('AWSCURRENT')).toBe('old-value'); // still current while edges switch
    await rotate(event('setSecret'));
    expect(distribution.updates).toBe(1);

    await rotate(event('testSecret'));
    await rotate(event('finishSecret'));
    expect(secret.valueOf('AWSCURRENT')).toBe(pending);
    expect(secret.valueOf('AWSPREVIOUS')).toBe('old-value'); // practica still accepts it
    await rotate(event('finishSecret')); // already finished: nothing to do
    expect(secret.valueOf('AWSCURRENT')).toBe(pending);
  });

  it('refuses a distribution whose origins do not send the header, and foreign versions', async () => {
    const secret = new FakeSecret();
    const distribution = new FakeDistribution();
    distribution.config.Origins.Items[1].CustomHeaders = { Quantity: 0, Items: [] };
    const rotate = make(secret, distribution);
    secret.startRotation('v1');
    await rotate({ SecretId: 'origin', ClientRequestToken: 'v1', Step: 'createSecret' });
    await expect(
      rotate({ SecretId: 'origin', ClientRequestToken: 'v1', Step: 'setSecret' }),
    ).rejects.toThrow(/no origin of distribution E123 sends X-Origin-Verify/);
    for (const step of steps) {
      await expect(
        rotate({ SecretId: 'origin', ClientRequestToken: 'unknown', Step: step }),
      ).rejects.toThrow(/is not a version/);
    }
    secret.rotationEnabled = false;
    await expect(
      rotate({ SecretId: 'origin', ClientRequestToken: 'v1', Step: 'setSecret' }),
    ).rejects.toThrow(/rotation is not enabled/);
  });
});

describe('the web app upload', () => {
  const web = serverless.templates.web;

  it('copies the build into the site bucket and invalidates every path', () => {
    const [[, deployment]] = resourcesOf(web, 'Custom::CDKBucketDeployment') as any;
    expect(deployment.Properties).toMatchObject({
      DestinationBucketName: { Ref: expect.stringMatching(/^FrontendSite/) },
      DistributionId: { Ref: expect.stringMatching(/^FrontendDistribution/) },
      DistributionPaths: ['/*'],
      // Files of earlier builds stay for pages that loaded before the deploy.
      Prune: false,
    });
  });

  it('uploads the build without its precompressed copies', () => {
    const manifest = JSON.parse(
      fs.readFileSync(
        path.join(serverless.outdir, `${serverless.stacks.web.artifactId}.assets.json`),
        'utf8',
      ),
    );
    const folders = Object.values(manifest.files as Record<string, any>)
      .map((asset) => path.join(serverless.outdir, asset.source.path))
      .filter((folder) => fs.existsSync(path.join(folder, 'index.html')));
    expect(folders).toHaveLength(1);
    const files = fs.readdirSync(folders[0]!, { recursive: true }).map(String).sort();
    expect(files).toEqual(['assets', path.join('assets', 'app.js'), 'index.html']);
  });

  it('reads -c webDist: a folder without index.html is refused, none uploads nothing', () => {
    const read = (webDist: string) =>
      readSettings(
        {
          tryGetContext: (key) =>
            ({ region: 'eu-west-1', lambdaZip: dummyLambdaZip(), webDist })[key],
        },
        {},
        kInfraDir,
      );
    expect(read(kWebDistFixture).webDist).toBe(kWebDistFixture);
    expect(read('none').webDist).toBeUndefined();
    expect(() => read(path.join(kWebDistFixture, 'assets'))).toThrow(SettingsError);
    expect(() => read(path.join(kWebDistFixture, 'assets'))).toThrow(/no index.html there/);
  });
});
