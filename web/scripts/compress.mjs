// Writes gzip (.gz) and Brotli (.br) copies of the text files in a build folder, next to the
// originals, for servers that send precompressed files to clients that accept them.
// A copy is written only when it is smaller than the original. Usage: node compress.mjs DIR
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const kCompressible = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.map']);

async function* filesUnder(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

async function main() {
  const root = process.argv[2];
  if (!root || !(await stat(root).catch(() => null))?.isDirectory()) {
    console.error('usage: node compress.mjs DIR');
    process.exit(2);
  }
  let written = 0;
  for await (const path of filesUnder(root)) {
    if (!kCompressible.has(extname(path))) continue;
    const original = await readFile(path);
    const copies = [
      ['.gz', gzipSync(original, { level: 9 })],
      [
        '.br',
        brotliCompressSync(original, {
          params: {
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: original.length,
          },
        }),
      ],
    ];
    for (const [suffix, data] of copies) {
      if (data.length >= original.length) continue;
      await writeFile(path + suffix, data);
      written++;
    }
  }
  console.log(`compress: wrote ${written} precompressed files under ${root}`);
}

await main();
