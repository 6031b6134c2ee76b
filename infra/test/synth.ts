// Synthesises the app in process, offline, the way `cdk synth` does, into a temporary folder.
// The Lambda package is built elsewhere (dist/lambda-arm64.zip); the tests stand in a tiny zip.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { inject } from 'vitest';
import { buildPractica, PracticaStacks } from '../lib/practica-app';
import { readSettings, Settings } from '../lib/settings';

export const kInfraDir = path.resolve(__dirname, '..');
export const kRepositoryRoot = path.resolve(kInfraDir, '..');
export const kRegion = 'eu-west-1';
// A built web app of two files (and a precompressed copy that must stay out of the upload), so
// that the synth never depends on whether web/dist has been built.
export const kWebDistFixture = path.join(kInfraDir, 'test', 'fixtures', 'web-dist');

// A domain and its zone, for the tests of the certificate and DNS records.
export const kDomainContext = {
  domain: 'learn.example.org',
  hostedZoneId: 'Z0123456789EXAMPLE',
  hostedZoneName: 'example.org',
};

export type StackKey = keyof PracticaStacks;
export const kStackKeys: StackKey[] = ['edge', 'data', 'api', 'web'];

export interface Synthesis {
  readonly app: App;
  readonly settings: Settings;
  readonly stacks: PracticaStacks;
  readonly templates: Record<StackKey, Template>;
  // The cloud assembly folder: templates, asset manifests, the validation report.
  readonly outdir: string;
  templateFile(key: StackKey): string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    // The run's temporary folder (test/global-setup.mts).
    temporaryRoot: string;
  }
}

// A fresh folder inside the run's temporary root (test/global-setup.ts removes it at the end).
export function temporaryDir(): string {
  return fs.mkdtempSync(path.join(inject('temporaryRoot'), 'out-'));
}

// The smallest valid zip: an empty archive (only the end-of-central-directory record).
export function dummyLambdaZip(): string {
  const zip = path.join(temporaryDir(), 'lambda-arm64.zip');
  const endOfCentralDirectory = Buffer.alloc(22);
  endOfCentralDirectory.writeUInt32LE(0x06054b50, 0);
  fs.writeFileSync(zip, endOfCentralDirectory);
  return zip;
}

// Builds the app for `context` (region and a dummy zip filled in) and synthesises it; an
// unacknowledged cdk-nag finding makes this throw, as it makes `cdk synth` fail.
export function buildApp(context: Record<string, unknown>): {
  app: App;
  settings: Settings;
  stacks: PracticaStacks;
  outdir: string;
} {
  const outdir = temporaryDir();
  const app = new App({
    outdir,
    context: { region: kRegion, lambdaZip: dummyLambdaZip(), webDist: kWebDistFixture, ...context },
  });
  const settings = readSettings(app.node, {}, kInfraDir);
  const stacks = buildPractica(app, settings);
  return { app, settings, stacks, outdir };
}

// Synthesised once per context and shared by every test file (vitest.config.mts runs the files
// in one worker without isolation, so this cache lives for the whole run).
const synthesized = new Map<string, Synthesis>();

export function synthesize(context: Record<string, unknown>): Synthesis {
  const key = JSON.stringify(context);
  const cached = synthesized.get(key);
  if (cached) return cached;
  const synthesis = synthesizeNew(context);
  synthesized.set(key, synthesis);
  return synthesis;
}

function synthesizeNew(context: Record<string, unknown>): Synthesis {
  const { app, settings, stacks, outdir } = buildApp(context);
  const assembly = app.synth();
  const templates = Object.fromEntries(
    kStackKeys.map((key) => [key, Template.fromStack(stacks[key] as Stack)]),
  ) as Record<StackKey, Template>;
  return {
    app,
    settings,
    stacks,
    templates,
    outdir,
    templateFile: (key) => path.join(outdir, assembly.getStackArtifact(stacks[key].artifactId).templateFile),
  };
}

// Every resource of `type` in a template, as [logical id, resource].
export function resourcesOf(
  template: Template,
  type: string,
): [string, { Properties?: Record<string, any>; [key: string]: any }][] {
  return Object.entries(template.findResources(type));
}

// The deployments the tests synthesise: each mode, each stage, with and without a domain.
export const kVariants = {
  serverlessDev: { mode: 'serverless', stage: 'dev', reservedConcurrency: 5 },
  serverlessProduction: { mode: 'serverless', stage: 'production', ...kDomainContext },
  containerProduction: { mode: 'container', stage: 'production', ...kDomainContext },
  containerDev: { mode: 'container', stage: 'dev' },
} as const;

// Reads a file of the repository (the C++ sources the templates must agree with).
export function repositoryFile(relative: string): string {
  return fs.readFileSync(path.join(kRepositoryRoot, relative), 'utf8');
}

// The string literals of a C++ snippet, adjacent literals joined ("a" "b" → "ab").
export function cxxStrings(snippet: string): string[] {
  const strings: string[] = [];
  const literal = /"((?:[^"\\]|\\.)*)"((?:\s*"(?:[^"\\]|\\.)*")*)/g;
  for (const match of snippet.matchAll(literal)) {
    const pieces = [...match[0].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((piece) => piece[1]);
    strings.push(pieces.join('').replace(/\\(.)/g, '$1'));
  }
  return strings;
}
