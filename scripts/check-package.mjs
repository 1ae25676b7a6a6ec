#!/usr/bin/env node
/**
 * Checks tessera-session as its users get it: the packed tarball installed from
 * scratch beside real frameworks from the npm registry, then used from every
 * module flavour (ESM and CommonJS, TypeScript and JavaScript) on every Node
 * given, plus the CLI, attw/publint and a typecheck of the docs' code blocks.
 * Fixtures and what they mean: test/package/README.md.
 *
 *   node scripts/check-package.mjs [--node 20,22,24,26] [--only docs|consumers|cli|lint,…]
 *                                  [--tarball file.tgz] [--keep]
 *
 * Expects `npm run build` to have run (npm ci runs it as `prepare`). Exits 1 when
 * anything failed; the last line is `N passed, N failed`.
 */

import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Runs a registry command again when the network, not the package, failed it. */
const RETRY_ON_NETWORK_ERROR = path.join(root, 'scripts', 'retry-on-network-error.sh');
const fixtures = path.join(root, 'test', 'package');
const pkg = readJson(path.join(root, 'package.json'));
const expected = readJson(path.join(fixtures, 'expected.json'));

const SECTIONS = ['lint', 'consumers', 'cli', 'docs'];
const FRAMEWORKS = ['express', 'fastify', 'koa', 'hono', 'node-http'];
/** How each consumer is compiled and loaded; the app sources are shared (test/package/apps). */
const FLAVOURS = [
  { name: 'esm-node16', type: 'module', tsconfig: 'esm-node16.json', loads: 'import' },
  { name: 'esm-bundler', type: 'module', tsconfig: 'esm-bundler.json', loads: 'import' },
  { name: 'cjs-nodenext', type: 'commonjs', tsconfig: 'cjs-nodenext.json', loads: 'require' },
  { name: 'cjs-node10', type: 'commonjs', tsconfig: 'cjs-node10.json', loads: 'require' },
  { name: 'cjs-js', type: 'commonjs', main: 'cjs/main.cjs', loads: 'require' },
];
/** The consumer project's dependencies besides the tarball: real packages from the registry. */
const REGISTRY_PACKAGES = [
  'express@5',
  '@types/express@5',
  'fastify@5',
  'koa@3',
  '@types/koa',
  'hono@4',
  '@hono/node-server',
  'redis@6',
  // docs/store-redis.md's ioredis example.
  `ioredis@${pkg.devDependencies.ioredis}`,
  // docs/store-express-session.md's connect-redis example (connect-redis's types import express-session's).
  `connect-redis@${pkg.devDependencies['connect-redis']}`,
  `express-session@${pkg.devDependencies['express-session']}`,
  `@types/express-session@${pkg.devDependencies['@types/express-session']}`,
  `typescript@${pkg.devDependencies.typescript}`,
  '@types/node',
  // Only for the docs: docs/testing.md's examples are vitest test files.
  `vitest@${pkg.devDependencies.vitest}`,
];
const DOC_FILES = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];
const SKIP_MARKER = /^<!--\s*docs-test:\s*skip\s*\((.+)\)\s*-->$/;
const ANY_MARKER = /<!--\s*docs-test:/;

const { values: args } = parseArgs({
  options: {
    node: { type: 'string' },
    only: { type: 'string' },
    tarball: { type: 'string' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  say(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(2, 14)
      .join('\n'),
  );
  process.exit(0);
}
const sections = new Set(args.only ? args.only.split(',').map((s) => s.trim()) : SECTIONS);
for (const section of sections) {
  if (!SECTIONS.includes(section)) usage(`--only ${section}: expected some of ${SECTIONS}`);
}
const nodeMajors = args.node ? args.node.split(',').map((s) => s.trim()) : [];
for (const major of nodeMajors) if (!/^\d+$/.test(major)) usage(`--node ${major}: expected majors`);

/**
 * The environment of every command: the caller's less what `npm run` adds about
 * this repo and the Node that runs it. A nested npm must act on the scratch
 * project, and `npx` put the Node under test first on PATH (given
 * npm_config_prefix, it puts that prefix's bin, the caller's Node, first).
 * Other `npm_config_*` settings, such as a registry, stay.
 */
const NPM_RUN_CONFIG =
  /^npm_config_(local_prefix|prefix|global_prefix|user_agent|nodedir|node_gyp|npm_version)$/i;
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) =>
      key !== 'INIT_CWD' &&
      !NPM_RUN_CONFIG.test(key) &&
      !(/^npm_/i.test(key) && !/^npm_config_/i.test(key)),
  ),
);

/** Every check's outcome: `row` is the table row, `column` a Node version or '' (once). */
const results = [];
const timings = [];
const started = Date.now();

function say(line = '') {
  process.stdout.write(`${line}\n`);
}

function usage(message) {
  process.stderr.write(`check-package: ${message}\n`);
  process.exit(2);
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function record(row, column, ok, detail = '') {
  results.push({ row, column, ok, detail });
  if (ok) return;
  const where = column ? ` (Node ${column})` : '';
  say(`  FAIL ${row}${where}: ${String(detail).trim().split('\n')[0]}`);
}

function indent(text) {
  return String(text).trim().split('\n').join('\n       ');
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function timed(label, work) {
  const start = Date.now();
  try {
    return await work();
  } finally {
    timings.push([label, Date.now() - start]);
  }
}

/** Runs a command to completion; never rejects (a spawn failure is code -1 with the message). */
function run(command, commandArgs, { cwd = root, env = cleanEnv, input, timeout = 300_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeout);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: `${stderr}${error.message}`, timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, signal, stdout, stderr, timedOut });
    });
    child.stdin.end(input);
  });
}

function describeExit(result) {
  if (result.timedOut) return 'timed out';
  return result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
}

function tail(text, lines = 30) {
  const all = text.trim().split('\n');
  return (all.length > lines ? ['…', ...all.slice(-lines)] : all).join('\n');
}

/** A limit on concurrent work: `limited(work)` waits for a free slot. */
function semaphore(slots) {
  const waiting = [];
  return async (work) => {
    if (slots > 0) slots--;
    else await new Promise((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else slots++;
    }
  };
}

/** The machine has two cores: at most two compilers at a time, whichever section runs them. */
const compilerSlots = semaphore(2);

/** The consumer project's tsc on `project` in `cwd` (a folder of the consumer project). */
function runTsc(consumer, cwd, project) {
  const tsc = path.join(consumer, 'node_modules', 'typescript', 'bin', 'tsc');
  return compilerSlots(() =>
    run(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd }),
  );
}

function firstLines(text, lines) {
  const all = text.trim().split('\n');
  return (all.length > lines ? [...all.slice(0, lines), '…'] : all).join('\n');
}

/** Runs `work` over `items`, `limit` at a time (the machine has two cores). */
async function pool(items, limit, work) {
  const queue = [...items.entries()];
  const out = [];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) out[next[0]] = await work(next[1]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// ---------------------------------------------------------------------------
// Node binaries

async function resolveNodes() {
  if (nodeMajors.length === 0) return [{ label: process.versions.node, bin: process.execPath }];
  const nodes = [];
  for (const major of nodeMajors) {
    let bin = process.execPath;
    if (process.versions.node.split('.')[0] !== major) {
      const found = await run('bash', [
        RETRY_ON_NETWORK_ERROR,
        'npx',
        '-y',
        `node@${major}`,
        '-p',
        'process.execPath',
      ]);
      bin = found.stdout.trim().split('\n').pop() ?? '';
      if (found.code !== 0 || !existsSync(bin)) {
        record(`Node ${major} binary`, major, false, `npx -y node@${major}: ${tail(found.stderr)}`);
        continue;
      }
    }
    const version = (await run(bin, ['--version'])).stdout.trim().replace(/^v/, '');
    if (version.split('.')[0] !== major) {
      record(`Node ${major} binary`, major, false, `${bin} is v${version}`);
      continue;
    }
    nodes.push({ label: version, bin });
  }
  return nodes;
}

/** The environment under which `npx` and shebang scripts run on `node`. */
function envFor(node) {
  return { ...cleanEnv, PATH: `${path.dirname(node.bin)}${path.delimiter}${cleanEnv.PATH}` };
}

// ---------------------------------------------------------------------------
// Pack and install

async function pack(scratch) {
  if (args.tarball) return path.resolve(args.tarball);
  if (!existsSync(path.join(root, 'dist', 'core', 'index.js'))) {
    record('npm pack', '', false, 'dist/ is missing: run `npm run build` first (npm ci runs it).');
    return undefined;
  }
  const newestSource = newestMtime(path.join(root, 'src'));
  if (newestSource > statSync(path.join(root, 'dist', 'core', 'index.js')).mtimeMs) {
    say(
      '  note: a file in src/ is newer than dist/core/index.js; run `npm run build` if dist is stale',
    );
  }
  // --ignore-scripts: the caller built dist already; `prepare` would build it again.
  const packed = await run('npm', [
    'pack',
    '--pack-destination',
    scratch,
    '--ignore-scripts',
    '--json',
  ]);
  if (packed.code !== 0) {
    record('npm pack', '', false, tail(packed.stderr));
    return undefined;
  }
  const [{ filename, files }] = JSON.parse(packed.stdout);
  record('npm pack', '', true, `${files.length} files`);
  return path.join(scratch, filename);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

async function install(consumer, tarball) {
  mkdirSync(consumer, { recursive: true });
  writeJson(path.join(consumer, 'package.json'), {
    name: 'tessera-package-consumer',
    version: '0.0.0',
    private: true,
  });
  const installed = await run(
    'bash',
    [RETRY_ON_NETWORK_ERROR, 'npm', 'install', '--no-audit', '--no-fund', tarball, ...REGISTRY_PACKAGES],
    { cwd: consumer },
  );
  if (installed.code !== 0) {
    record(
      'install from the registry',
      '',
      false,
      tail(`${installed.stdout}\n${installed.stderr}`),
    );
    return false;
  }
  const version = readJson(
    path.join(consumer, 'node_modules', 'tessera-session', 'package.json'),
  ).version;
  record(
    'install from the registry',
    '',
    version === pkg.version,
    `installed tessera-session@${version}, expected ${pkg.version}`,
  );
  // No native compilation: an app on the default store must not pull better-sqlite3 in.
  const native = findNativeBuilds(path.join(consumer, 'node_modules'));
  if (existsSync(path.join(consumer, 'node_modules', 'better-sqlite3'))) {
    native.unshift('node_modules/better-sqlite3');
  }
  record('install needs no native build', '', native.length === 0, native.join('\n'));
  return true;
}

/** `build/Release` directories (node-gyp output) anywhere under `dir`. */
function findNativeBuilds(dir, found = [], base = dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const full = path.join(dir, entry.name);
    if (entry.name === 'Release' && path.basename(dir) === 'build') {
      found.push(path.relative(base, full));
    } else {
      findNativeBuilds(full, found, base);
    }
  }
  return found;
}

// ---------------------------------------------------------------------------
// attw and publint, on the packed tarball

async function lint(tarball) {
  // attw --pack would run `npm pack` (and `prepare`) again in the working tree: give it the
  // tarball that was already packed, which is the same file list.
  const attw = await run('npx', [
    'attw',
    tarball,
    '--ignore-rules',
    'cjs-resolves-to-esm',
    '--format',
    'json',
  ]);
  let problems;
  try {
    // The JSON lists the ignored rule's findings too: the README explains require(esm).
    problems = Object.values(JSON.parse(attw.stdout).problems ?? {})
      .flat()
      .filter((problem) => problem.kind !== 'CJSResolvesToESM')
      .map((p) => `${p.kind} at ${p.entrypoint ?? '?'} (${p.resolutionKind ?? 'any resolution'})`);
  } catch {
    problems = [`unreadable output, ${describeExit(attw)}: ${tail(attw.stdout + attw.stderr)}`];
  }
  if (attw.code !== 0 && !problems.length)
    problems.push(`${describeExit(attw)}: ${tail(attw.stderr)}`);
  record('attw (ignoring cjs-resolves-to-esm)', '', problems.length === 0, problems.join('\n'));
  const publint = await run('npx', ['publint', 'run', tarball, '--strict']);
  record(
    'publint --strict',
    '',
    publint.code === 0 && /All good!/.test(publint.stdout),
    tail(`${publint.stdout}\n${publint.stderr}`),
  );
}

// ---------------------------------------------------------------------------
// Consumers: compile once, run on every Node

async function prepareConsumers(consumer) {
  const compiled = await Promise.all(
    FLAVOURS.map(async (flavour) => {
      const dir = path.join(consumer, flavour.name);
      mkdirSync(dir, { recursive: true });
      writeJson(path.join(dir, 'package.json'), { type: flavour.type });
      if (flavour.main) {
        cpSync(path.join(fixtures, flavour.main), path.join(dir, path.basename(flavour.main)));
        return { flavour, main: path.join(dir, path.basename(flavour.main)), typeErrors: {} };
      }
      cpSync(path.join(fixtures, 'apps'), path.join(dir, 'src'), { recursive: true });
      cpSync(path.join(fixtures, 'tsconfig', flavour.tsconfig), path.join(dir, 'tsconfig.json'));
      const built = await runTsc(consumer, dir, 'tsconfig.json');
      const errors = classifyTscErrors(`${built.stdout}${built.stderr}`);
      const problems = [...errors.package, ...errors.shared, ...errors.other];
      for (const framework of FRAMEWORKS) problems.push(...(errors.byFramework[framework] ?? []));
      if (built.code !== 0 && built.code !== 2) problems.push(`tsc ${describeExit(built)}`);
      if (built.code === 2 && errors.count === 0) problems.push(tail(built.stdout + built.stderr));
      // tsc emits despite type errors: the apps still run, so one framework's type error
      // fails that framework's rows and this one, not the whole flavour.
      const main = path.join(dir, 'out', 'main.js');
      if (!existsSync(main)) problems.push('tsc emitted no out/main.js');
      else {
        // The flavour is what the compiled code does: import in ESM, require() in CommonJS.
        const emitted = readFileSync(path.join(dir, 'out', 'express.js'), 'utf8');
        const loads = /\brequire\(["']tessera-session\/express["']\)/.test(emitted)
          ? 'require'
          : /\bfrom ["']tessera-session\/express["']/.test(emitted)
            ? 'import'
            : 'neither';
        if (loads !== flavour.loads) {
          problems.push(
            `the compiled code loads tessera-session with ${loads}, expected ${flavour.loads}`,
          );
        }
      }
      const notes = [
        ...packagesNamed(errors.thirdParty).map((name) => `${name}'s declarations`),
        ...packagesNamed(errors.optionalPeer, /Cannot find module '((?:@[^/']+\/)?[^/']+)/).map(
          (name) => `${name} (an optional peer, not installed)`,
        ),
      ];
      if (notes.length) {
        say(`  note: ${flavour.name}: not counted, type errors from ${notes.join(', ')}`);
      }
      record(
        `typecheck + compile · ${flavour.name}`,
        '',
        problems.length === 0,
        problems.join('\n'),
      );
      return { flavour, main: existsSync(main) ? main : undefined, typeErrors: errors.byFramework };
    }),
  );
  mkdirSync(path.join(consumer, 'entries'), { recursive: true });
  cpSync(path.join(fixtures, 'entries.cjs'), path.join(consumer, 'entries', 'entries.cjs'));
  cpSync(path.join(fixtures, 'entries.mjs'), path.join(consumer, 'entries', 'entries.mjs'));
  return compiled;
}

/**
 * Sorts tsc's errors (`--pretty false`) by where they are: an app's source
 * (`byFramework`), the shared sources, tessera-session's declarations
 * (`package`; a missing optional driver there is `optionalPeer`), other
 * packages' declarations (`thirdParty`, only with skipLibCheck off).
 */
function classifyTscErrors(output) {
  const errors = {
    byFramework: {},
    shared: [],
    package: [],
    optionalPeer: [],
    thirdParty: [],
    other: [],
    count: 0,
  };
  const drivers = Object.values(expected.entryPoints)
    .map((entry) => entry.missingDriver)
    .filter(Boolean);
  let list;
  for (const line of output.split('\n')) {
    const match = /^(.+?)\(\d+,\d+\): error (TS\d+): (.*)$/.exec(line);
    if (!match) {
      if (line.startsWith(' ') && list) list.push(line);
      else if (line.trim()) errors.other.push(line);
      continue;
    }
    errors.count++;
    const [, file, code, message] = match;
    const app = /^src\/([\w-]+)\.ts$/.exec(file)?.[1];
    if (app && FRAMEWORKS.includes(app)) list = errors.byFramework[app] ??= [];
    else if (app) list = errors.shared;
    else if (file.includes('node_modules/tessera-session/')) {
      const missing = code === 'TS2307' && /Cannot find module '([^']+)'/.exec(message)?.[1];
      const isDriver = missing && drivers.some((d) => missing === d || missing.startsWith(`${d}/`));
      list = isDriver ? errors.optionalPeer : errors.package;
    } else if (file.includes('node_modules/')) list = errors.thirdParty;
    else list = errors.other;
    list.push(line);
  }
  return errors;
}

/** The package names in tsc error lines: where they are, or what `pattern` captures. */
function packagesNamed(lines, pattern = /node_modules\/((?:@[^/]+\/)?[^/]+)/) {
  return [...new Set(lines.map((line) => pattern.exec(line)?.[1]).filter(Boolean))];
}

async function runConsumers(compiled, node) {
  await pool(compiled, 2, async ({ flavour, main, typeErrors }) => {
    const rows = FRAMEWORKS.map((framework) => `${framework} · ${flavour.name}`);
    if (!main) {
      for (const row of rows) record(row, node.label, false, 'not compiled (see above)');
      return;
    }
    const outcome = await runFlavour(main, node);
    for (const [index, framework] of FRAMEWORKS.entries()) {
      const problems = [...(outcome.problems[framework] ?? []), ...outcome.processProblems];
      if (typeErrors[framework]) {
        problems.unshift(
          `type errors in src/${framework}.ts (see typecheck + compile · ${flavour.name})`,
        );
      }
      if (flavour.loads === 'require' && /ExperimentalWarning/.test(outcome.stderr)) {
        problems.push(`require(esm) is not silent:\n${tail(outcome.stderr, 10)}`);
      }
      record(rows[index], node.label, problems.length === 0, problems.join('\n'));
    }
  });
}

/** Starts one flavour's process (all five apps), runs the flow against each, then stops it. */
function runFlavour(main, node) {
  return new Promise((resolve) => {
    const child = spawn(node.bin, [main], {
      cwd: path.dirname(main),
      env: cleanEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const problems = {};
    const processProblems = [];
    let stdout = '';
    let stderr = '';
    let reported = false;
    const finish = () => resolve({ problems, processProblems, stderr });
    const startTimer = setTimeout(() => {
      processProblems.push('no report of ports within 30 s');
      child.kill('SIGKILL');
    }, 30_000);
    let exitTimer;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.on('data', async (chunk) => {
      stdout += chunk;
      if (reported || !stdout.includes('\n')) return;
      reported = true;
      clearTimeout(startTimer);
      let report;
      try {
        report = JSON.parse(stdout.slice(0, stdout.indexOf('\n')));
      } catch {
        processProblems.push(`unreadable report: ${stdout}`);
      }
      for (const framework of FRAMEWORKS) {
        const started = report?.[framework];
        if (!started) problems[framework] = ['did not start (missing from the report)'];
        else if (started.error)
          problems[framework] = [`did not start: ${firstLines(started.error, 6)}`];
        else problems[framework] = await sessionFlow(started.port);
      }
      // Closing stdin asks the process to close every app; it must then end by itself.
      child.stdin.end();
      exitTimer = setTimeout(() => {
        processProblems.push('still running 15 s after closing its apps (a handle left open)');
        child.kill('SIGKILL');
      }, 15_000);
    });
    child.on('error', (error) => {
      processProblems.push(`could not start ${node.bin}: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(startTimer);
      clearTimeout(exitTimer);
      if (!reported && !processProblems.length) {
        processProblems.push(`ended (${signal ?? `exit code ${code}`}) without reporting its apps`);
      }
      if (code !== 0 && !processProblems.length) {
        processProblems.push(
          `process ended with ${signal ?? `exit code ${code}`}:\n${firstLines(stderr, 8)}`,
        );
      }
      finish();
    });
  });
}

/** Two requests with a cookie jar: the counter goes 1 → 2 and the session cookie comes back. */
async function sessionFlow(port) {
  const { path: urlPath, bodies, cookie } = expected.flow;
  const problems = [];
  let jar = '';
  for (const [index, body] of bodies.entries()) {
    let response;
    try {
      response = await get(port, urlPath, jar);
    } catch (error) {
      return [...problems, `request ${index + 1} failed: ${error.message}`];
    }
    if (response.status !== 200 || response.body !== body) {
      problems.push(
        `request ${index + 1}: ${response.status} ${JSON.stringify(response.body)}, expected 200 ${JSON.stringify(body)}`,
      );
    }
    const setCookie = (response.headers['set-cookie'] ?? []).find((line) =>
      line.startsWith(`${cookie.name}=`),
    );
    if (index === 0) {
      if (!setCookie) {
        problems.push(`request 1 set no ${cookie.name} cookie`);
        break;
      }
      const [pair, ...attributes] = setCookie.split(';').map((part) => part.trim().toLowerCase());
      for (const attribute of cookie.attributes) {
        if (!attributes.includes(attribute.toLowerCase())) {
          problems.push(`the cookie lacks ${attribute}: ${setCookie}`);
        }
      }
      if (pair === `${cookie.name}=`) problems.push(`the cookie is empty: ${setCookie}`);
      jar = setCookie.split(';')[0];
    } else if (setCookie && setCookie.split(';')[0] !== jar) {
      problems.push(`request ${index + 1} changed the session cookie: ${setCookie}`);
    }
  }
  return problems;
}

function get(port, urlPath, cookie) {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: urlPath, agent: false, headers: cookie ? { cookie } : {} },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode, headers: response.headers, body }),
        );
        response.on('error', reject);
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error('no answer within 10 s')));
    request.on('error', reject);
  });
}

/** Every entry point of `exports` loads with require() and import() and has its exports. */
async function checkEntryPoints(consumer, node) {
  const specifiers = Object.keys(pkg.exports)
    .filter((key) => key !== './package.json')
    .map((key) => `tessera-session${key.slice(1)}`);
  const unlisted = specifiers.filter((specifier) => !(specifier in expected.entryPoints));
  for (const [loader, file] of [
    ['require', 'entries.cjs'],
    ['import', 'entries.mjs'],
  ]) {
    const ran = await run(node.bin, [file, ...specifiers], { cwd: path.join(consumer, 'entries') });
    const row = `every entry point · ${loader}()`;
    if (ran.code !== 0) {
      record(row, node.label, false, `${describeExit(ran)}:\n${tail(ran.stderr)}`);
      continue;
    }
    const loaded = JSON.parse(ran.stdout);
    const problems = unlisted.map((s) => `${s} is exported but not in test/package/expected.json`);
    for (const specifier of specifiers) {
      const want = expected.entryPoints[specifier];
      const got = loaded[specifier];
      if (!want) continue;
      if (want.missingDriver) {
        // Documented: a store's driver is an optional peer, loaded by the store's own entry point.
        if (!got.error?.includes(`'${want.missingDriver}'`)) {
          problems.push(
            `${specifier} without ${want.missingDriver} installed should fail naming it; got ${JSON.stringify(got)}`,
          );
        }
      } else if (got.error) {
        problems.push(`${specifier}: ${got.error}`);
      } else {
        const missing = want.filter((name) => !got.exports.includes(name));
        if (missing.length) problems.push(`${specifier} lacks ${missing.join(', ')}`);
      }
    }
    // express-session's shape: require() answers the session function itself (its 'module.exports' export).
    for (const [specifier, type] of Object.entries(expected.requireTypes ?? {})) {
      if (loader === 'require' && loaded[specifier]?.type !== type) {
        problems.push(`require('${specifier}') should be a ${type}; got ${loaded[specifier]?.type}`);
      }
    }
    if (loader === 'require' && /ExperimentalWarning/.test(ran.stderr)) {
      problems.push(`require(esm) is not silent:\n${tail(ran.stderr, 10)}`);
    }
    record(row, node.label, problems.length === 0, problems.join('\n'));
  }
}

// ---------------------------------------------------------------------------
// The command line, from the installed package

async function checkCli(consumer, node) {
  const env = envFor(node);
  const cli = (...cliArgs) =>
    run('npx', ['--no-install', 'tessera-session', ...cliArgs], {
      cwd: consumer,
      env,
      timeout: 60_000,
    });
  const shown = (r) =>
    `${describeExit(r)}\nstdout: ${tail(r.stdout, 10)}\nstderr: ${tail(r.stderr, 10)}`;

  // npx runs the bin through its `#!/usr/bin/env node`: that node must be the one under test.
  const onNode = await run('npx', ['--no-install', 'node', '--version'], { cwd: consumer, env });
  record(
    'CLI: npx runs the Node under test',
    node.label,
    onNode.stdout.trim() === `v${node.label}`,
    `expected v${node.label}; ${shown(onNode)}`,
  );

  const version = await cli('--version');
  record(
    'CLI --version',
    node.label,
    version.code === 0 &&
      version.stdout.trim().split(/\s+/).pop()?.replace(/^v/, '') === pkg.version,
    `expected ${pkg.version} on stdout; ${shown(version)}`,
  );
  const help = await cli('--help');
  record(
    'CLI --help',
    node.label,
    help.code === 0 && help.stdout.includes(expected.cli.help),
    `expected exit 0 and "${expected.cli.help}"; ${shown(help)}`,
  );
  const redis = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const stats = await cli('stats', '--store', redis);
  record(
    `CLI stats --store redis://…`,
    node.label,
    stats.code === 0 && stats.stdout.includes(expected.cli.stats),
    `${redis}: ${shown(stats)}`,
  );
}

// ---------------------------------------------------------------------------
// Docs: every ```ts block of README.md and docs/*.md typechecks on its own

function extractBlocks() {
  const blocks = [];
  for (const file of DOC_FILES) {
    const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
    let open;
    let previous = '';
    for (const [index, line] of lines.entries()) {
      const fence = /^```(\S*)\s*$/.exec(line);
      if (open && fence && fence[1] === '') {
        if (open.isTs) blocks.push(open);
        open = undefined;
      } else if (open) {
        open.code.push(line);
      } else if (fence) {
        const isTs = fence[1] === 'ts' || fence[1] === 'typescript';
        const skip = SKIP_MARKER.exec(previous)?.[1];
        if (ANY_MARKER.test(previous) && (!isTs || skip === undefined)) {
          record(
            `docs ${file}:${index + 1}`,
            '',
            false,
            `the line before the fence must read <!-- docs-test: skip (reason) --> before a ts block: ${previous}`,
          );
        }
        open = { file, line: index + 1, isTs, skip, code: [] };
      }
      if (line.trim()) previous = line.trim();
    }
  }
  return blocks;
}

async function checkDocs(consumer) {
  const blocks = extractBlocks();
  const docs = path.join(consumer, 'docs');
  const blockDir = path.join(docs, 'blocks');
  mkdirSync(blockDir, { recursive: true });
  writeJson(path.join(docs, 'package.json'), { type: 'module' });
  const base = readJson(path.join(fixtures, 'tsconfig', 'docs.json'));
  const byFile = new Map();
  const programs = { shared: [] };
  for (const block of blocks) {
    if (block.skip) continue;
    block.name = `${block.file.replace(/\.md$/, '').replace(/[^\w]+/g, '-')}-${block.line}.ts`;
    byFile.set(`blocks/${block.name}`, block);
    writeFileSync(path.join(blockDir, block.name), `${block.code.join('\n')}\n`);
    // A module augmentation is global to a program: such a block gets a program of its own.
    if (/^\s*declare (module|global)\b/m.test(block.code.join('\n'))) {
      programs[block.name] = [block.name];
    } else {
      programs.shared.push(block.name);
    }
  }
  const configs = Object.entries(programs)
    .filter(([, names]) => names.length)
    .map(([name, names]) => {
      const config = `tsconfig.${name.replace(/\.ts$/, '')}.json`;
      const { include: _include, ...rest } = base;
      writeJson(path.join(docs, config), { ...rest, files: names.map((n) => `blocks/${n}`) });
      return config;
    });
  const outputs = await Promise.all(configs.map((config) => runTsc(consumer, docs, config)));
  const errors = new Map();
  const unattributed = [];
  for (const output of outputs) {
    let last;
    let attributed = 0;
    for (const line of `${output.stdout}${output.stderr}`.split('\n')) {
      const match = /^(blocks\/[^(]+)\((\d+),(\d+)\): (error TS\d+: .*)$/.exec(line);
      if (match && byFile.has(match[1])) {
        attributed++;
        last = byFile.get(match[1]);
        const where = `${last.file}:${last.line + Number(match[2])}:${match[3]}`;
        errors.set(last, [...(errors.get(last) ?? []), `${where} ${match[4]}`]);
      } else if (line.startsWith(' ') && last) {
        errors.get(last).push(line);
      } else if (line.trim()) {
        unattributed.push(line);
      }
    }
    if (output.code !== 0 && !attributed && !unattributed.length) {
      unattributed.push(`tsc ${describeExit(output)}`);
    }
  }
  if (unattributed.length) record('docs typecheck', '', false, unattributed.join('\n'));
  for (const block of blocks) {
    if (block.skip) continue;
    const found = errors.get(block);
    record(`docs ${block.file}:${block.line}`, '', !found, found?.join('\n'));
  }
  const skipped = blocks.filter((block) => block.skip);
  say(
    `  ${blocks.length - skipped.length} blocks typechecked, ${skipped.length} marked partial:` +
      skipped.map((block) => `\n    ${block.file}:${block.line} (${block.skip})`).join(''),
  );
  return skipped.length;
}

// ---------------------------------------------------------------------------
// Summary

function printSummary(nodes, skippedDocs) {
  const columns = ['', ...nodes.map((node) => node.label)];
  // Rows in the order of the run's stages, whatever order the parallel work finished in.
  const order = [
    'npm pack',
    'attw (ignoring cjs-resolves-to-esm)',
    'publint --strict',
    'install from the registry',
    'install needs no native build',
    ...FLAVOURS.map((flavour) => `typecheck + compile · ${flavour.name}`),
    ...FLAVOURS.flatMap((flavour) =>
      FRAMEWORKS.map((framework) => `${framework} · ${flavour.name}`),
    ),
    'every entry point · require()',
    'every entry point · import()',
  ];
  const rank = (row) => {
    const index = order.indexOf(row);
    if (index >= 0) return index;
    if (row.startsWith('CLI')) return order.length;
    return row.startsWith('docs') ? order.length + 1 : -1;
  };
  const rows = [...new Set(results.map((result) => result.row))].sort((a, b) => rank(a) - rank(b));
  const cell = (row, column) => {
    const found = results.filter((r) => r.row === row && r.column === column);
    if (!found.length) return '';
    return found.every((r) => r.ok) ? 'ok' : 'FAIL';
  };
  // Docs blocks are many: one line for all that passed.
  const docRows = rows.filter((row) => row.startsWith('docs '));
  const docsOk = docRows.filter((row) => cell(row, '') === 'ok');
  const shownRows = rows.filter((row) => !docsOk.includes(row));
  const header = ['check', 'once', ...nodes.map((node) => `Node ${node.label}`)];
  const table = [header];
  for (const row of shownRows) table.push([row, ...columns.map((column) => cell(row, column))]);
  if (docRows.length) {
    table.push([
      `docs: ${docsOk.length} ts blocks typecheck (${skippedDocs} marked partial)`,
      'ok',
      ...nodes.map(() => ''),
    ]);
  }
  const widths = header.map((_, i) => Math.max(...table.map((line) => line[i].length)));
  say();
  say('== Summary');
  for (const [index, line] of table.entries()) {
    say(
      line
        .map((text, i) => text.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
    if (index === 0) say(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  say();
  say(
    `Timings: ${timings.map(([label, ms]) => `${label} ${seconds(ms)}`).join(', ')}; total ${seconds(Date.now() - started)}`,
  );
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    say();
    say('Failures:');
    for (const r of failed)
      say(`- ${r.row}${r.column ? ` (Node ${r.column})` : ''}: ${indent(r.detail)}`);
  }
  say();
  say(`${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length;
}

// ---------------------------------------------------------------------------

async function main() {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'tessera-package-'));
  const consumer = path.join(scratch, 'consumer');
  let skippedDocs = 0;
  let nodes = [];
  try {
    say(
      `== Checking tessera-session@${pkg.version} as packed (${[...sections].join(', ')}) in ${scratch}`,
    );
    const needsNodes = sections.has('consumers') || sections.has('cli');
    nodes = needsNodes ? await timed('Node binaries', resolveNodes) : [];
    say(`== npm pack`);
    const tarball = await timed('pack', () => pack(scratch));
    if (!tarball) return;
    const needsInstall = sections.has('consumers') || sections.has('cli') || sections.has('docs');
    say(
      `== npm install (${REGISTRY_PACKAGES.length} registry packages + the tarball)${sections.has('lint') ? '; attw, publint' : ''}`,
    );
    const [installed] = await Promise.all([
      needsInstall ? timed('install', () => install(consumer, tarball)) : false,
      sections.has('lint') ? timed('attw + publint', () => lint(tarball)) : undefined,
    ]);
    if (!installed) return;
    if (sections.has('docs') || sections.has('consumers')) {
      say('== Typecheck and compile consumers; typecheck the docs');
    }
    const [compiled] = await Promise.all([
      sections.has('consumers') ? timed('compile', () => prepareConsumers(consumer)) : [],
      sections.has('docs')
        ? timed('docs', async () => {
            skippedDocs = await checkDocs(consumer);
          })
        : undefined,
    ]);
    for (const node of nodes) {
      say(`== Node ${node.label}`);
      await timed(`Node ${node.label}`, async () => {
        if (sections.has('consumers')) {
          await runConsumers(compiled, node);
          await checkEntryPoints(consumer, node);
        }
        if (sections.has('cli')) await checkCli(consumer, node);
      });
    }
  } finally {
    if (args.keep) say(`(kept ${scratch})`);
    else rmSync(scratch, { recursive: true, force: true });
    process.exitCode = printSummary(nodes, skippedDocs) > 0 ? 1 : 0;
  }
}

await main();
