// What one deployment of Practica is: read once from the CDK context (`cdk synth -c key=value`,
// cdk.json, or `new App({ context })` in the tests) and checked before any construct is made, so
// a wrong or contradictory value stops the synth with a message naming it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Mode = 'serverless' | 'container';
export type Stage = 'production' | 'dev';

export const kModes: readonly Mode[] = ['serverless', 'container'];
export const kStages: readonly Stage[] = ['production', 'dev'];

// The Lambda package (bootstrap + practica + its shared libraries), relative to infra/.
export const kDefaultLambdaZip = path.join('..', 'dist', 'lambda-arm64.zip');

// The built web app (`make web`), relative to infra/: uploaded to the site bucket on deploy
// when it is there.
export const kDefaultWebDist = path.join('..', 'web', 'dist');

// Reserved concurrency of the analytics ingest function unless -c ingestConcurrency says
// otherwise: enough to keep up with a small table's stream shards, few enough that ingest cannot
// take the API's concurrency nor the database's connections (docs/DEPLOY.md).
export const kDefaultIngestConcurrency = 2;

export interface DomainSettings {
  // The name the platform answers on, e.g. learn.example.org.
  readonly name: string;
  // The Route 53 public hosted zone that holds `name` (its id, and its name: example.org).
  readonly hostedZoneId: string;
  readonly hostedZoneName: string;
}

// Where the ingest function sends xAPI statements (docs/DEPLOY.md, "xAPI in AWS"): the LRS's
// endpoint (https only), the basic-auth user, and the Secrets Manager secret that holds the
// password, which practica reads at start-up (PRACTICA_XAPI_PASSWORD_SECRET).
export interface XapiSettings {
  readonly endpoint: string;
  readonly username: string;
  readonly passwordSecretArn: string;
}

export interface Settings {
  readonly mode: Mode;
  // production: deletion protection and RETAIN on the data; dev: the data goes with the stack.
  readonly stage: Stage;
  readonly account?: string;
  readonly region: string;
  readonly domain?: DomainSettings;
  // Absolute path of the Lambda zip, checked to exist: the API function in serverless mode and
  // the analytics ingest function in both modes run it.
  readonly lambdaZip: string;
  // Reserved concurrency of the API function; undefined: none reserved (see docs/DEPLOY.md).
  readonly reservedConcurrency?: number;
  // Reserved concurrency of the analytics ingest function; undefined (-c ingestConcurrency=none):
  // none reserved, for an account whose concurrency limit leaves nothing to reserve.
  readonly ingestConcurrency?: number;
  // Absolute path of the built web app that `cdk deploy` uploads to the site bucket (then
  // invalidating CloudFront); undefined: nothing is uploaded (-c webDist=none, or no build).
  readonly webDist?: string;
  // The platform's public address (PRACTICA_PUBLIC_URL): -c publicUrl, else https://<domain>;
  // undefined without either (the CloudFront name is known only once the Web stack exists).
  readonly publicUrl?: string;
  // xAPI statements from the ingest function, with -c xapiEndpoint.
  readonly xapi?: XapiSettings;
  // Subscribed to the alarm topic when given (-c alarmEmail).
  readonly alarmEmail?: string;
}

// A context value that cannot work. The message names the key and the value.
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

// Reads context values. `tryGetContext` is all a construct node offers, so the tests and the CLI
// go through the same door.
export interface ContextReader {
  tryGetContext(key: string): unknown;
}

function text(context: ContextReader, key: string): string | undefined {
  const value = context.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new SettingsError(`-c ${key}=${JSON.stringify(value)}: expected a single value`);
}

function oneOf<T extends string>(
  context: ContextReader,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = text(context, key) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new SettingsError(
      `-c ${key}=${value}: unknown ${key}; use one of ${allowed.join(', ')}`,
    );
  }
  return value as T;
}

// A DNS name: labels of letters, digits and hyphens, at least two of them, no trailing dot.
const kDnsName = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

function readDomain(context: ContextReader): DomainSettings | undefined {
  const name = text(context, 'domain')?.toLowerCase().replace(/\.$/, '');
  const hostedZoneId = text(context, 'hostedZoneId');
  const hostedZoneName = text(context, 'hostedZoneName')?.toLowerCase().replace(/\.$/, '');
  if (name === undefined) {
    if (hostedZoneId !== undefined || hostedZoneName !== undefined) {
      throw new SettingsError(
        `-c hostedZoneId/-c hostedZoneName given without -c domain: name the domain too`,
      );
    }
    return undefined;
  }
  if (!kDnsName.test(name)) {
    throw new SettingsError(`-c domain=${name}: not a DNS name (like learn.example.org)`);
  }
  if (hostedZoneId === undefined || hostedZoneName === undefined) {
    throw new SettingsError(
      `-c domain=${name} needs the Route 53 hosted zone that holds it: ` +
        `add -c hostedZoneId=Z… -c hostedZoneName=<zone name, e.g. ${name.split('.').slice(-2).join('.')}>`,
    );
  }
  if (!/^Z[A-Z0-9]{1,31}$/.test(hostedZoneId)) {
    throw new SettingsError(`-c hostedZoneId=${hostedZoneId}: not a Route 53 zone id (Z…)`);
  }
  if (name !== hostedZoneName && !name.endsWith(`.${hostedZoneName}`)) {
    throw new SettingsError(
      `-c domain=${name} is not inside -c hostedZoneName=${hostedZoneName}`,
    );
  }
  return { name, hostedZoneId, hostedZoneName };
}

// A reserved concurrency: a whole number, or `none` for none reserved (undefined).
function readCount(context: ContextReader, key: string): number | undefined {
  const value = text(context, key);
  if (value === undefined || value === 'none') return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 10_000) {
    throw new SettingsError(`-c ${key}=${value}: expected a whole number from 1 to 10000, or none`);
  }
  return count;
}

// -c webDist (a folder holding index.html), else web/dist when it has been built; `none`: no
// upload. A folder named explicitly must exist; the default may be missing (a synth before
// `make web`, the tests), and then nothing is uploaded.
function readWebDist(context: ContextReader, infraDir: string): string | undefined {
  const given = text(context, 'webDist');
  if (given === 'none') return undefined;
  const folder = path.resolve(infraDir, given ?? kDefaultWebDist);
  if (fs.statSync(path.join(folder, 'index.html'), { throwIfNoEntry: false })?.isFile()) {
    return folder;
  }
  if (given === undefined) return undefined;
  throw new SettingsError(
    `-c webDist=${folder}: no index.html there; build the web app first (make web), point ` +
      '-c webDist at the build, or pass -c webDist=none',
  );
}

// An absolute https URL without user info, query or fragment (what practica accepts for
// PRACTICA_PUBLIC_URL and PRACTICA_XAPI_ENDPOINT, https only here: the LRS gets a password).
function httpsUrl(context: ContextReader, key: string, what: string): string | undefined {
  const value = text(context, key);
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (
    url === undefined ||
    url.protocol !== 'https:' ||
    url.username !== '' ||
    url.password !== '' ||
    value.includes('?') ||
    value.includes('#')
  ) {
    throw new SettingsError(
      `-c ${key}=${value}: not ${what}, an https:// URL without user info, query or fragment`,
    );
  }
  return value.replace(/\/+$/, '');
}

// A secret's complete ARN: naming it exactly keeps the IAM statement free of wildcards.
const kSecretArn =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;

function readXapi(context: ContextReader, publicUrl: string | undefined): XapiSettings | undefined {
  const endpoint = httpsUrl(context, 'xapiEndpoint', "the LRS's xAPI endpoint");
  const username = text(context, 'xapiUsername');
  const passwordSecretArn = text(context, 'xapiPasswordSecret');
  if (endpoint === undefined) {
    if (username !== undefined || passwordSecretArn !== undefined) {
      throw new SettingsError(
        '-c xapiUsername/-c xapiPasswordSecret given without -c xapiEndpoint: name the LRS too',
      );
    }
    return undefined;
  }
  if (username === undefined || passwordSecretArn === undefined) {
    throw new SettingsError(
      `-c xapiEndpoint=${endpoint} needs the LRS's credentials: add -c xapiUsername=… and ` +
        '-c xapiPasswordSecret=<the ARN of a Secrets Manager secret holding the password>',
    );
  }
  if (!kSecretArn.test(passwordSecretArn)) {
    throw new SettingsError(
      `-c xapiPasswordSecret=${passwordSecretArn}: not a Secrets Manager secret's complete ARN ` +
        '(arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX)',
    );
  }
  if (publicUrl === undefined) {
    throw new SettingsError(
      `-c xapiEndpoint=${endpoint} needs the platform's public address, which statements name: ` +
        'add -c domain=… or -c publicUrl=https://…',
    );
  }
  return { endpoint, username, passwordSecretArn };
}

function readAlarmEmail(context: ContextReader): string | undefined {
  const email = text(context, 'alarmEmail');
  if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new SettingsError(`-c alarmEmail=${email}: not an email address`);
  }
  return email;
}

// `infraDir` anchors relative paths (the CLI runs in infra/; the tests may run anywhere).
export function readSettings(
  context: ContextReader,
  env: NodeJS.ProcessEnv,
  infraDir: string,
): Settings {
  const mode = oneOf(context, 'mode', kModes, 'serverless');
  const stage = oneOf(context, 'stage', kStages, 'production');
  const region = text(context, 'region') ?? env.CDK_DEFAULT_REGION;
  if (region === undefined) {
    throw new SettingsError(
      'no region: pass -c region=eu-west-1 (or configure one for the AWS CLI)',
    );
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new SettingsError(`-c region=${region}: not an AWS region name (like eu-west-1)`);
  }
  // Not CDK_DEFAULT_ACCOUNT: without an account the stacks synthesise the same offline and
  // online (no availability-zone lookups), and deploy to the account of the caller's credentials.
  const account = text(context, 'account');
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    throw new SettingsError(`-c account=${account}: an AWS account id is 12 digits`);
  }
  // Both modes: the analytics ingest function runs the zip in container mode too.
  const lambdaZip = path.resolve(infraDir, text(context, 'lambdaZip') ?? kDefaultLambdaZip);
  if (!fs.statSync(lambdaZip, { throwIfNoEntry: false })?.isFile()) {
    throw new SettingsError(
      `-c lambdaZip=${lambdaZip}: no such file; build the Lambda package first ` +
        `(docs/DEPLOY.md) or point -c lambdaZip at it`,
    );
  }
  const domain = readDomain(context);
  const publicUrl =
    httpsUrl(context, 'publicUrl', "the platform's public address") ??
    (domain ? `https://${domain.name}` : undefined);
  return {
    mode,
    stage,
    account,
    region,
    domain,
    lambdaZip,
    reservedConcurrency: readCount(context, 'reservedConcurrency'),
    ingestConcurrency:
      text(context, 'ingestConcurrency') === undefined
        ? kDefaultIngestConcurrency
        : readCount(context, 'ingestConcurrency'),
    webDist: readWebDist(context, infraDir),
    publicUrl,
    xapi: readXapi(context, publicUrl),
    alarmEmail: readAlarmEmail(context),
  };
}
