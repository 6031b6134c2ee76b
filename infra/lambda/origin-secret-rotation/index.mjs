// Rotates the origin secret: the value CloudFront sends to the API in the origin header
// (ORIGIN_HEADER), which practica checks (src/app/origin_secret.h). Secrets Manager calls this
// function once per step of a rotation, with the new version's id as ClientRequestToken:
//
//   createSecret  a new random value, stored as AWSPENDING
//   setSecret     the distribution's origins that carry the header get the pending value
//   testSecret    the distribution's configuration now holds the pending value
//   finishSecret  the pending version becomes AWSCURRENT (the old one AWSPREVIOUS)
//
// practica accepts AWSCURRENT, AWSPREVIOUS and AWSPENDING, and re-reads them when a request
// brings a value it does not know, so requests carrying the old or the new value are both
// answered while CloudFront deploys the change to its edges. No value is ever logged.
//
// The steps take their AWS calls as arguments (rotationHandler), so that infra/test runs them
// against fakes; `handler` binds them to the SDK that the Node.js runtime provides.
import { randomBytes } from 'node:crypto';

export function rotationHandler({ secrets, cloudfront, distributionId, headerName }) {
  async function pendingValue(secretId, token) {
    return secrets.getValue({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' });
  }

  async function createSecret(secretId, token) {
    try {
      await pendingValue(secretId, token);
      return; // made by an earlier attempt of this step
    } catch (error) {
      if (!secrets.isNotFound(error)) throw error;
    }
    await secrets.putValue({
      SecretId: secretId,
      ClientRequestToken: token,
      // 48 random bytes: 64 URL-safe characters, fit for an HTTP header.
      SecretString: randomBytes(48).toString('base64url'),
      VersionStages: ['AWSPENDING'],
    });
  }

  // The headers of the distribution's origins that carry it: the API's, never the bucket's.
  function headerItems(config) {
    const items = [];
    for (const origin of config.Origins?.Items ?? []) {
      for (const header of origin.CustomHeaders?.Items ?? []) {
        if (header.HeaderName.toLowerCase() === headerName.toLowerCase()) items.push(header);
      }
    }
    if (items.length === 0) {
      throw new Error(`no origin of distribution ${distributionId} sends ${headerName}`);
    }
    return items;
  }

  async function setSecret(secretId, token) {
    const value = await pendingValue(secretId, token);
    const { DistributionConfig: config, ETag: etag } = await cloudfront.getConfig({
      Id: distributionId,
    });
    const items = headerItems(config);
    if (items.every((header) => header.HeaderValue === value)) return;
    for (const header of items) header.HeaderValue = value;
    await cloudfront.update({ Id: distributionId, IfMatch: etag, DistributionConfig: config });
  }

  async function testSecret(secretId, token) {
    const value = await pendingValue(secretId, token);
    const { DistributionConfig: config } = await cloudfront.getConfig({ Id: distributionId });
    if (!headerItems(config).every((header) => header.HeaderValue === value)) {
      throw new Error(`distribution ${distributionId} does not send the pending value yet`);
    }
  }

  async function finishSecret(secretId, token, versions) {
    const current = Object.keys(versions).find((id) => versions[id].includes('AWSCURRENT'));
    await secrets.updateStage({
      SecretId: secretId,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: token,
      RemoveFromVersionId: current,
    });
  }

  return async (event) => {
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
    const described = await secrets.describe({ SecretId: secretId });
    if (!described.RotationEnabled) throw new Error(`rotation is not enabled on ${secretId}`);
    const stages = described.VersionIdsToStages?.[token];
    if (!stages) throw new Error(`version ${token} is not a version of ${secretId}`);
    if (stages.includes('AWSCURRENT')) return; // already finished
    if (!stages.includes('AWSPENDING')) throw new Error(`version ${token} is not AWSPENDING`);
    switch (step) {
      case 'createSecret':
        return createSecret(secretId, token);
      case 'setSecret':
        return setSecret(secretId, token);
      case 'testSecret':
        return testSecret(secretId, token);
      case 'finishSecret':
        return finishSecret(secretId, token, described.VersionIdsToStages);
      default:
        throw new Error(`unknown rotation step ${step}`);
    }
  };
}

let bound;

// The AWS SDK for JavaScript v3 comes with the Node.js runtime; nothing is bundled.
async function awsHandler() {
  const sm = await import('@aws-sdk/client-secrets-manager');
  const cf = await import('@aws-sdk/client-cloudfront');
  const secretsClient = new sm.SecretsManagerClient({});
  const cloudfrontClient = new cf.CloudFrontClient({});
  return rotationHandler({
    secrets: {
      describe: (input) => secretsClient.send(new sm.DescribeSecretCommand(input)),
      getValue: async (input) =>
        (await secretsClient.send(new sm.GetSecretValueCommand(input))).SecretString,
      putValue: (input) => secretsClient.send(new sm.PutSecretValueCommand(input)),
      updateStage: (input) => secretsClient.send(new sm.UpdateSecretVersionStageCommand(input)),
      isNotFound: (error) => error instanceof sm.ResourceNotFoundException,
    },
    cloudfront: {
      getConfig: (input) => cloudfrontClient.send(new cf.GetDistributionConfigCommand(input)),
      update: (input) => cloudfrontClient.send(new cf.UpdateDistributionCommand(input)),
    },
    distributionId: process.env.DISTRIBUTION_ID,
    headerName: process.env.ORIGIN_HEADER,
  });
}

export async function handler(event) {
  bound ??= await awsHandler();
  return bound(event);
}
