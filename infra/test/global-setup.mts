// One temporary folder for the whole test run: cloud assemblies, dummy Lambda zips.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestProject } from 'vitest/node';

export default function setup(project: TestProject): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'practica-infra-'));
  project.provide('temporaryRoot', root);
  return () => fs.rmSync(root, { recursive: true, force: true });
}
