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
import { randomBytes } from 'node:crypto';
import {
  CloudFrontClient,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

const secrets = new SecretsManagerClient({});
const cloudfront = new CloudFrontClient({});
const distributionId = process.env.DISTRIBUTION_ID;
const headerName = process.env.ORIGIN_HEADER;

export async function handler(event) {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  const described = await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
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
}

async function pendingValue(secretId, token) {
  const pending = await secrets.send(
    new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }),
  );
  return pending.SecretString;
}

async function createSecret(secretId, token) {
  try {
    await pendingValue(secretId, token);
    return; // made by an earlier attempt of this step
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await secrets.send(
    new PutSecretValueCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      // 48 random bytes: 64 URL-safe characters, fit for an HTTP header.
      SecretString: randomBytes(48).toString('base64url'),
      VersionStages: ['AWSPENDING'],
    }),
  );
}

// The origins of the distribution that carry the header: the API's, never the bucket's.
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
  const { DistributionConfig: config, ETag: etag } = await cloudfront.send(
    new GetDistributionConfigCommand({ Id: distributionId }),
  );
  const items = headerItems(config);
  if (items.every((header) => header.HeaderValue === value)) return;
  for (const header of items) header.HeaderValue = value;
  await cloudfront.send(
    new UpdateDistributionCommand({ Id: distributionId, IfMatch: etag, DistributionConfig: config }),
  );
}

async function testSecret(secretId, token) {
  const value = await pendingValue(secretId, token);
  const { DistributionConfig: config } = await cloudfront.send(
    new GetDistributionConfigCommand({ Id: distributionId }),
  );
  if (!headerItems(config).every((header) => header.HeaderValue === value)) {
    throw new Error(`distribution ${distributionId} does not send the pending value yet`);
  }
}

async function finishSecret(secretId, token, versions) {
  const current = Object.keys(versions).find((id) => versions[id].includes('AWSCURRENT'));
  await secrets.send(
    new UpdateSecretVersionStageCommand({
      SecretId: secretId,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: token,
      RemoveFromVersionId: current,
    }),
  );
}
