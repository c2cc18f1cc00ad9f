import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  INSTALL_HINT,
  describeLookupFailure,
  findSeamBinary,
  serverCommand,
  type BinaryLookup,
  type LookupContext,
  type LookupFailure,
} from '../src/binary';

const onWindows = process.platform === 'win32';
/** The name the binary has on this machine's PATH and in node_modules/.bin. */
const hostBinaryName = onWindows ? 'seam.exe' : 'seam';

let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'seam-vscode-test-'));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** Creates a file (and its directories) under the temp root and returns its path. */
function createFile(relativePath: string, mode = 0o755): string {
  const filePath = path.join(root, relativePath);
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  fs.writeFileSync(filePath, '#!/bin/sh\n');
  fs.chmodSync(filePath, mode);
  return filePath;
}

function createDirectory(relativePath: string): string {
  const directoryPath = path.join(root, relativePath);
  fs.mkdirSync(directoryPath, { recursive: true });
  return directoryPath;
}

/** A context on this machine's platform with an empty PATH, no setting and no folder. */
function context(overrides: Partial<LookupContext>): LookupContext {
  return {
    configuredPath: null,
    workspaceFolder: undefined,
    platform: process.platform,
    env: { PATH: '' },
    homeDir: path.join(root, 'home'),
    ...overrides,
  };
}

function pathOf(...directories: string[]): Record<string, string> {
  return { PATH: directories.join(path.delimiter) };
}

function assertFound(result: BinaryLookup, expectedPath: string, source: string): void {
  assert.deepEqual(result, { kind: 'found', path: expectedPath, source });
}

function assertFailure(result: BinaryLookup): LookupFailure {
  assert.notEqual(result.kind, 'found', `expected no binary, found ${JSON.stringify(result)}`);
  return result as LookupFailure;
}

/** A workspace with seam in node_modules/.bin and another seam on PATH. */
function workspaceWithEveryOtherSource(): { workspace: string; env: Record<string, string> } {
  const workspace = createDirectory('workspace');
  createFile(`workspace/node_modules/.bin/${hostBinaryName}`);
  createFile(`path-bin/${hostBinaryName}`);
  return { workspace, env: pathOf(path.join(root, 'path-bin')) };
}

describe('seam.path', () => {
  test('an absolute seam.path wins over node_modules/.bin and PATH', () => {
    const { workspace, env } = workspaceWithEveryOtherSource();
    const configured = createFile(`tools/${hostBinaryName}`);

    const result = findSeamBinary(context({ configuredPath: configured, workspaceFolder: workspace, env }));

    assertFound(result, configured, 'setting');
  });

  test('a relative seam.path resolves against the workspace folder', () => {
    const workspace = createDirectory('workspace');
    const binary = createFile(`workspace/target/release/${hostBinaryName}`);

    const result = findSeamBinary(
      context({ configuredPath: `target/release/${hostBinaryName}`, workspaceFolder: workspace }),
    );

    assertFound(result, binary, 'setting');
  });

  test('a leading ~ is the home directory', () => {
    const binary = createFile(`home/.cargo/bin/${hostBinaryName}`);

    const result = findSeamBinary(context({ configuredPath: `~/.cargo/bin/${hostBinaryName}` }));

    assertFound(result, binary, 'setting');
  });

  test('surrounding whitespace is ignored and a blank setting counts as unset', () => {
    const binary = createFile(`tools/${hostBinaryName}`);
    assertFound(findSeamBinary(context({ configuredPath: `  ${binary}\n` })), binary, 'setting');

    createFile(`path-bin/${hostBinaryName}`);
    const result = findSeamBinary(context({ configuredPath: '   ', env: pathOf(path.join(root, 'path-bin')) }));
    assertFound(result, path.join(root, 'path-bin', hostBinaryName), 'path');
  });

  test('a seam.path that does not exist is reported, naming the path, with no fallback', () => {
    const { workspace, env } = workspaceWithEveryOtherSource();

    const result = findSeamBinary(context({ configuredPath: '~/missing/seam', workspaceFolder: workspace, env }));

    const expectedPath = path.join(root, 'home', 'missing', 'seam');
    assert.deepEqual(result, {
      kind: 'settingUnusable',
      setting: '~/missing/seam',
      resolvedPath: expectedPath,
      problem: 'missing',
    });
    const message = describeLookupFailure(assertFailure(result));
    assert.match(message, /does not exist/);
    assert.ok(message.includes(expectedPath), message);
    assert.ok(message.includes('~/missing/seam'), message);
  });

  test('a relative seam.path with no workspace folder open is reported', () => {
    createFile(`path-bin/${hostBinaryName}`);

    const result = findSeamBinary(context({ configuredPath: 'bin/seam', env: pathOf(path.join(root, 'path-bin')) }));

    assert.deepEqual(result, {
      kind: 'settingUnusable',
      setting: 'bin/seam',
      resolvedPath: undefined,
      problem: 'relativeWithoutWorkspace',
    });
    assert.match(describeLookupFailure(assertFailure(result)), /no workspace folder is open/);
  });

  test('a seam.path naming a directory is reported', () => {
    const directory = createDirectory('tools');

    const result = findSeamBinary(context({ configuredPath: directory }));

    assert.deepEqual(result, { kind: 'settingUnusable', setting: directory, resolvedPath: directory, problem: 'notAFile' });
    assert.match(describeLookupFailure(assertFailure(result)), /is not a file/);
  });

  test('a seam.path without the execute bit is reported', { skip: onWindows && 'no execute bit on Windows' }, () => {
    const binary = createFile('tools/seam', 0o644);

    const result = findSeamBinary(context({ configuredPath: binary }));

    assert.deepEqual(result, { kind: 'settingUnusable', setting: binary, resolvedPath: binary, problem: 'notExecutable' });
    assert.match(describeLookupFailure(assertFailure(result)), /is not executable/);
  });
});

describe('without seam.path', () => {
  test('node_modules/.bin of the workspace folder comes before PATH', () => {
    const { workspace, env } = workspaceWithEveryOtherSource();

    const result = findSeamBinary(context({ workspaceFolder: workspace, env }));

    assertFound(result, path.join(workspace, 'node_modules', '.bin', hostBinaryName), 'nodeModules');
  });

  test('PATH is searched when node_modules/.bin has no seam, first directory first', () => {
    const workspace = createDirectory('workspace/node_modules/.bin');
    const first = createFile(`first/${hostBinaryName}`);
    createFile(`second/${hostBinaryName}`);
    const env = pathOf(path.join(root, 'empty'), path.join(root, 'first'), path.join(root, 'second'));

    const result = findSeamBinary(context({ workspaceFolder: workspace, env }));

    assertFound(result, first, 'path');
  });

  test('files on PATH without the execute bit are skipped', { skip: onWindows && 'no execute bit on Windows' }, () => {
    createFile('not-executable/seam', 0o644);
    const executable = createFile('executable/seam');
    const env = pathOf(path.join(root, 'not-executable'), path.join(root, 'executable'));

    assertFound(findSeamBinary(context({ env })), executable, 'path');
  });

  test('directories named seam on PATH are skipped', () => {
    createDirectory(`directory/${hostBinaryName}`);
    const binary = createFile(`files/${hostBinaryName}`);
    const env = pathOf(path.join(root, 'directory'), path.join(root, 'files'));

    assertFound(findSeamBinary(context({ env })), binary, 'path');
  });

  test('relative and empty PATH entries are not searched', () => {
    createFile(`relative/${hostBinaryName}`);
    const previousDirectory = process.cwd();
    process.chdir(root);
    try {
      const result = findSeamBinary(context({ env: { PATH: ['relative', '', '.'].join(path.delimiter) } }));
      assert.deepEqual(result, { kind: 'notFound', searched: [] });
    } finally {
      process.chdir(previousDirectory);
    }
  });

  test('nothing found gives the not-found result, the places searched and the install steps', () => {
    const workspace = createDirectory('workspace');
    const pathDirectory = createDirectory('path-bin');

    const result = findSeamBinary(context({ workspaceFolder: workspace, env: pathOf(pathDirectory) }));

    assert.ok(result.kind === 'notFound', JSON.stringify(result));
    assert.deepEqual(result.searched, [
      path.join(workspace, 'node_modules', '.bin', hostBinaryName),
      ...(onWindows ? [path.join(workspace, 'node_modules', '.bin', 'seam.cmd')] : []),
      ...(onWindows
        ? ['.com', '.exe', '.bat', '.cmd'].map((extension) => path.join(pathDirectory, 'seam' + extension))
        : [path.join(pathDirectory, 'seam')]),
    ]);
    const message = describeLookupFailure(result);
    assert.ok(message.includes(INSTALL_HINT), message);
    assert.ok(INSTALL_HINT.includes('cargo install --path crates/seam_cli --locked'));
  });
});

// Windows naming rules, checked on any machine: on Windows there is no execute bit, so
// any regular file counts, and the lookup goes by extension.
describe('Windows rules', () => {
  const windows = (overrides: Partial<LookupContext>): LookupContext =>
    context({ platform: 'win32', env: {}, ...overrides });

  test('PATH uses PATHEXT extensions and ignores the extensionless shell script', () => {
    createFile('a/seam');
    const cmd = createFile('b/seam.cmd');
    const env = { Path: `${path.join(root, 'a')};"${path.join(root, 'b')}"`, PATHEXT: '.EXE;.CMD' };

    assertFound(findSeamBinary(windows({ env })), cmd, 'path');
  });

  test('PATHEXT order decides between extensions in one directory', () => {
    createFile('bin/seam.cmd');
    const exe = createFile('bin/seam.exe');

    const result = findSeamBinary(windows({ env: { PATH: path.join(root, 'bin'), PATHEXT: '.EXE;.CMD' } }));

    assertFound(result, exe, 'path');
  });

  test('node_modules/.bin: seam.cmd is used, not the shell script npm puts beside it', () => {
    const workspace = createDirectory('workspace');
    createFile('workspace/node_modules/.bin/seam');
    const cmd = createFile('workspace/node_modules/.bin/seam.cmd');

    assertFound(findSeamBinary(windows({ workspaceFolder: workspace })), cmd, 'nodeModules');
  });

  test('a seam.path without an extension finds the binary with one', () => {
    const exe = createFile('tools/seam.exe');

    assertFound(findSeamBinary(windows({ configuredPath: path.join(root, 'tools', 'seam') })), exe, 'setting');
  });
});

describe('serverCommand', () => {
  test('runs the binary with the lsp argument and no shell', () => {
    assert.deepEqual(serverCommand('/usr/local/bin/seam', 'linux'), {
      command: '/usr/local/bin/seam',
      args: ['lsp'],
      shell: false,
    });
    assert.deepEqual(serverCommand('C:\\tools\\seam.exe', 'win32'), {
      command: 'C:\\tools\\seam.exe',
      args: ['lsp'],
      shell: false,
    });
  });

  test('a Windows .cmd runs through the shell with its path quoted', () => {
    assert.deepEqual(serverCommand('C:\\My Project\\node_modules\\.bin\\seam.CMD', 'win32'), {
      command: '"C:\\My Project\\node_modules\\.bin\\seam.CMD"',
      args: ['lsp'],
      shell: true,
    });
  });
});
