// The packaged layout, checked: scripts/package-dir.ts runs electron-builder over the built out/
// (with a stand-in Electron where the real one cannot be downloaded, as here), then this reads
// app.asar's own index to see that the whole app is inside, that every native or WebAssembly file
// the app loads at run time is unpacked beside it, and that nothing but production code is packed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, globSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, tempDir } from '../support/paths.ts';
import { closedPort } from '../support/net.ts';

interface AsarEntry {
  files?: Record<string, AsarEntry>;
  unpacked?: boolean;
}
interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const ROOT = manifest(REPO_ROOT);

/** Every file in an asar archive, from its JSON index, with whether it lives in .unpacked. */
async function asarFiles(archive: string): Promise<Map<string, boolean>> {
  const file = await open(archive);
  try {
    const head = Buffer.alloc(16);
    await file.read(head, 0, 16, 0);
    const json = Buffer.alloc(head.readUInt32LE(12));
    await file.read(json, 0, json.length, 16);
    const files = new Map<string, boolean>();
    const walk = (entry: AsarEntry, at: string): void => {
      for (const [name, child] of Object.entries(entry.files ?? {})) {
        if (child.files) walk(child, `${at}${name}/`);
        else files.set(`${at}${name}`, child.unpacked === true);
      }
    };
    walk(JSON.parse(json.toString('utf8')) as AsarEntry, '');
    return files;
  } finally {
    await file.close();
  }
}

/** The folder of an installed package, found the way Node finds it from `from`. */
function packageDirFrom(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Names of every package production code can reach: dependencies, optional and peer, transitively. */
function productionClosure(): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const queue: [string, Manifest][] = [[REPO_ROOT, ROOT]];
  for (let next = queue.pop(); next; next = queue.pop()) {
    const [dir, pkg] = next;
    const wanted = { ...pkg.peerDependencies, ...pkg.optionalDependencies, ...pkg.dependencies };
    for (const name of Object.keys(wanted)) {
      const found = packageDirFrom(dir, name);
      if (!found || seen.has(found)) continue;
      seen.add(found);
      names.add(name);
      queue.push([found, manifest(found)]);
    }
  }
  return names;
}

const packageNames = (paths: Iterable<string>): Set<string> =>
  new Set(
    [...paths].flatMap((path) =>
      [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1]!),
    ),
  );

/** Packages the built main process and preload load by name (import, require, require.resolve). */
function mainImports(builtFiles: string[]): Set<string> {
  const code = builtFiles
    .filter((path) => /^out[\\/](main|preload)[\\/].*\.c?js$/.test(path))
    .map((path) => readFileSync(join(REPO_ROOT, path), 'utf8'))
    .join('\n');
  // A specifier has no spaces: words in a comment ("tell this from "that"") are not imports.
  const specifiers = code.matchAll(
    /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire(?:\.resolve)?\(\s*)"([^"\s]+)"/g,
  );
  return new Set(
    [...specifiers]
      .map((m) => m[1]!)
      .filter((name) => !/^(node:|\.|electron$)/.test(name) && !builtinModules.includes(name))
      .map((name) =>
        name
          .split('/')
          .slice(0, name.startsWith('@') ? 2 : 1)
          .join('/'),
      ),
  );
}

const built = existsSync(join(REPO_ROOT, 'out/main/index.js'));

test(
  'the packaged app: all of out/ in app.asar, native and WebAssembly files unpacked, no dev packages',
  { skip: !built && 'package layout skipped: the app is not built (run npm run build)' },
  async (t) => {
    const output = await tempDir(t);
    const packaged = spawnSync(process.execPath, ['scripts/package-dir.ts', output], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      // Where no Electron is installed, its download goes nowhere but a closed local port.
      env: {
        ...process.env,
        ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`,
        electron_config_cache: join(output, 'electron-cache'),
      },
      timeout: 110_000,
    });
    assert.equal(packaged.status, 0, packaged.stdout + packaged.stderr);
    const summary = /^Packaged (.+?)( \(stand-in Electron\))?: .+$/m.exec(packaged.stdout);
    assert.ok(summary, packaged.stdout);
    t.diagnostic(summary[0]);
    const unpacked = summary[1]!;
    const resources =
      process.platform === 'darwin'
        ? join(unpacked, 'GenQueue.app/Contents/Resources')
        : join(unpacked, 'resources');
    const files = await asarFiles(join(resources, 'app.asar'));
    const paths = [...files.keys()];

    // The whole built app and its manifest, and nothing else of the project.
    const builtFiles = globSync('out/**/*', { cwd: REPO_ROOT, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(REPO_ROOT.length + 1));
    for (const path of [...builtFiles.map((p) => p.replaceAll('\\', '/')), 'package.json'])
      assert.equal(files.get(path), false, `${path} is not packed in app.asar`);
    for (const needed of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'])
      assert.ok(files.has(needed), needed);
    const stray = paths.filter((p) => !/^(out\/|node_modules\/|package\.json$)/.test(p));
    assert.deepEqual(stray, [], 'files beside out/ and node_modules/ in app.asar');

    // Native code and WebAssembly: never inside the archive, always on disk beside it.
    const native = paths.filter((p) => /\.(node|wasm|so(\.\d+)*|dylib|dll)$/.test(p));
    for (const path of native) {
      assert.equal(files.get(path), true, `${path} is packed inside app.asar`);
      assert.ok(existsSync(join(resources, 'app.asar.unpacked', path)), `${path} missing on disk`);
    }
    const unpackedPaths = native.filter((p) => files.get(p));
    const platform = `${process.platform}-${process.arch}`;
    assert.ok(
      unpackedPaths.some((p) => p.startsWith(`node_modules/@img/sharp-${platform}/lib/sharp-`)),
      `sharp's .node for ${platform}`,
    );
    assert.ok(
      unpackedPaths.some((p) =>
        /^node_modules\/@img\/sharp-(libvips-)?[^/]+\/lib\/libvips/.test(p),
      ),
      'libvips',
    );
    // libheif's WebAssembly build, which the HEIC worker loads from app.asar.unpacked.
    for (const path of [
      'wasm-bundle.js',
      'libheif-wasm/libheif-bundle.js',
      'libheif-wasm/libheif.wasm',
    ])
      assert.equal(files.get(`node_modules/libheif-js/${path}`), true, `libheif-js/${path}`);

    // Production packages only: all the main process loads is there, nothing outside the closure of
    // the dependencies is (renderer-only ones are bundled into out/renderer and left out).
    const packed = packageNames(paths);
    const imports = mainImports(builtFiles);
    assert.ok(
      imports.has('sharp') && imports.has('zod'),
      `main's imports: ${[...imports].join(', ')}`,
    );
    for (const name of imports)
      assert.ok(packed.has(name), `${name}, which the main process loads, is not packed`);
    const production = productionClosure();
    const extra = [...packed].filter((name) => !production.has(name));
    assert.deepEqual(extra, [], 'packed packages that production code never reaches');
    const dev = Object.keys(ROOT.devDependencies ?? {}).filter((name) => packed.has(name));
    assert.deepEqual(dev, [], 'devDependencies packed');

    // electron-builder.yml's fuses were flipped on the packaged binary (the stand-in carries them).
    if (process.platform === 'linux') {
      const binary = readFileSync(join(unpacked, 'genqueue'));
      const at = binary.indexOf('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX') + 34;
      assert.equal(binary.subarray(at, at + 6).toString(), '010011', 'fuses 1–6 as configured');
    }
  },
);
