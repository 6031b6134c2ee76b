// deploy/Dockerfile: a Debian 12 build stage, a slim runtime stage holding exactly
// scripts/setup's runtime_pkgs, a non-root user, a health check, an exec-form entrypoint.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kImageContext } from '../lib/container-api';
import { kRepositoryRoot, repositoryFile } from './synth';

// The instructions of each stage, continuation lines joined, comments dropped.
function stages(dockerfile: string): { from: string; instructions: string[] }[] {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const result: { from: string; instructions: string[] }[] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) result.push({ from: line, instructions: [] });
    else result.at(-1)?.instructions.push(line);
  }
  return result;
}

// The packages a stage's `apt-get install` lines name.
function installed(instructions: string[]): string[] {
  return instructions.flatMap((instruction) =>
    [...instruction.matchAll(/apt-get install((?:\s+[^&\s]+)+)/g)].flatMap((match) =>
      match[1]!.trim().split(/\s+/).filter((word) => !word.startsWith('-')),
    ),
  );
}

// A bash array of scripts/setup, e.g. runtime_pkgs=(a b c).
function setupArray(name: string): string[] {
  const match = new RegExp(`^${name}=\\(([^)]*)\\)`, 'm').exec(repositoryFile('scripts/setup'));
  expect(match, `${name} not found in scripts/setup`).not.toBeNull();
  return match![1]!.split(/\s+/).filter(Boolean);
}

const dockerfile = repositoryFile('deploy/Dockerfile');
const [build, runtime, ...extra] = stages(dockerfile);

describe('deploy/Dockerfile', () => {
  it('has two stages: Debian 12 to build, Debian 12 slim to run', () => {
    expect(extra).toEqual([]);
    expect(build!.from).toMatch(/^FROM debian:12 AS build$/);
    expect(runtime!.from).toBe('FROM debian:12-slim');
  });

  it('installs at run time exactly scripts/setup runtime_pkgs', () => {
    expect(installed(runtime!.instructions).sort()).toEqual(setupArray('runtime_pkgs').sort());
  });

  it('builds with packages from scripts/setup build_pkgs and lib_pkgs only', () => {
    const known = new Set([...setupArray('build_pkgs'), ...setupArray('lib_pkgs')]);
    const packages = installed(build!.instructions);
    expect(packages.length).toBeGreaterThan(0);
    expect(packages.filter((name) => !known.has(name))).toEqual([]);
    // Tests are not built in the image, so their libraries are not installed for it.
    expect(packages).not.toContain('libgtest-dev');
  });

  it('runs nothing to build with: no compiler, no -dev package', () => {
    for (const name of installed(runtime!.instructions)) {
      expect(name).not.toMatch(/-dev$|^(build-essential|cmake|gcc|g\+\+|clang)/);
    }
    expect(runtime!.instructions.join('\n')).toContain('rm -rf /var/lib/apt/lists/*');
  });

  it('runs as a non-root user', () => {
    const users = runtime!.instructions.filter((line) => /^USER\s/.test(line));
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^USER\s+(root|0)(:|$)/);
    expect(runtime!.instructions.some((line) => /useradd\s.*--system/.test(line))).toBe(true);
  });

  it('checks its health on /api/health', () => {
    const check = runtime!.instructions.find((line) => line.startsWith('HEALTHCHECK'));
    expect(check).toMatch(/CMD \[/);
    expect(check).toContain('GET /api/health');
  });

  it('starts `practica serve` in exec form, so practica itself gets SIGTERM', () => {
    const entrypoint = runtime!.instructions.find((line) => line.startsWith('ENTRYPOINT'));
    const command = runtime!.instructions.find((line) => line.startsWith('CMD'));
    expect(JSON.parse(entrypoint!.replace(/^ENTRYPOINT\s+/, ''))).toEqual([
      '/usr/local/bin/practica',
    ]);
    expect(JSON.parse(command!.replace(/^CMD\s+/, ''))).toEqual(['serve']);
    expect(runtime!.instructions.join('\n')).toContain('PRACTICA_LISTEN=0.0.0.0:8080');
  });

  it('copies only what the image asset sends as build context', () => {
    const sources = [build!, runtime!]
      .flatMap((stage) => stage.instructions)
      .filter((line) => /^COPY\s/.test(line) && !line.includes('--from='))
      .flatMap((line) => line.replace(/^COPY\s+/, '').split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(kImageContext, source).toContain(source.replace(/\/$/, ''));
      expect(fs.existsSync(path.join(kRepositoryRoot, source)), source).toBe(true);
    }
  });
});

// The binary `make test` built, if any: its direct shared libraries must all come from
// runtime_pkgs (or from what debian:12-slim already has).
const kBinaries = ['build/dev/src/practica', 'build/release/src/practica'].map((relative) =>
  path.join(kRepositoryRoot, relative),
);
const binary = kBinaries.find((file) => fs.existsSync(file));
const kInSlimImage = new Set(['libc6', 'libstdc++6', 'libgcc-s1']);
// The dev build runs under AddressSanitizer and UndefinedBehaviorSanitizer (CMakePresets.json);
// their runtimes come with the sanitized build, while the image builds the plain release preset.
const kSanitizerRuntimes = new Set(['libasan8', 'libubsan1', 'libtsan2']);

describe.skipIf(binary === undefined || process.platform !== 'linux')('the built binary', () => {
  it('needs no shared library outside runtime_pkgs', () => {
    const needed = spawnSync('readelf', ['-d', binary!], { encoding: 'utf8' })
      .stdout.split('\n')
      .map((line) => /\(NEEDED\).*\[(.+)\]/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
    expect(needed.length).toBeGreaterThan(0);
    const cache = spawnSync('ldconfig', ['-p'], { encoding: 'utf8' }).stdout;
    const runtimePackages = new Set(setupArray('runtime_pkgs'));
    const missing: string[] = [];
    for (const library of needed) {
      const location = new RegExp(`^\\s*${library.replace(/[.+]/g, '\\$&')} \\(.*\\) => (\\S+)`, 'm')
        .exec(cache)?.[1];
      expect(location, `${library} not in the linker cache`).toBeDefined();
      // dpkg knows a file by the path its package shipped: with merged /usr, either one.
      const candidates = [location!, fs.realpathSync(location!)].flatMap((file) => [
        file,
        file.replace(/^\/usr\/lib\//, '/lib/'),
      ]);
      const owner = candidates
        .map((file) => spawnSync('dpkg', ['-S', file], { encoding: 'utf8' }).stdout)
        .find((answer) => answer.includes(':'))
        ?.split(':')[0]
        ?.trim();
      if (owner !== undefined && kSanitizerRuntimes.has(owner)) continue;
      if (owner === undefined || (!kInSlimImage.has(owner) && !runtimePackages.has(owner))) {
        missing.push(`${library} (${owner})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
