// Finding the `seam` binary and the command line that starts its language server.
// This module must not import `vscode`: the tests run it under plain Node.

import * as fs from 'node:fs';
import * as path from 'node:path';

export const INSTALL_HINT =
  'Install seam: `cargo install --path crates/seam_cli --locked` from a clone of the seam repository, or set `seam.path` to the binary.';

/** Where a found binary came from, in lookup order. */
export type BinarySource = 'setting' | 'nodeModules' | 'path';

/** Why the binary named by `seam.path` cannot be used. */
export type SettingProblem = 'missing' | 'notAFile' | 'notExecutable' | 'relativeWithoutWorkspace';

export type BinaryLookup =
  | { kind: 'found'; path: string; source: BinarySource }
  | {
      kind: 'settingUnusable';
      setting: string;
      /** The setting made absolute; undefined when it could not be (relative, no folder open). */
      resolvedPath: string | undefined;
      problem: SettingProblem;
    }
  | { kind: 'notFound'; searched: string[] };

export type LookupFailure = Exclude<BinaryLookup, { kind: 'found' }>;

export interface LookupContext {
  /** The `seam.path` setting; null or blank means unset. */
  configuredPath: string | null;
  /** File-system path of the first workspace folder, if one is open. */
  workspaceFolder: string | undefined;
  platform: NodeJS.Platform;
  /** Environment to read PATH and PATHEXT from. */
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}

/**
 * Finds seam: `seam.path`, else the workspace's `node_modules/.bin`, else PATH.
 * A set but unusable `seam.path` is reported rather than skipped: silently running
 * some other seam would hide the mistake in the setting.
 */
export function findSeamBinary(context: LookupContext): BinaryLookup {
  const setting = context.configuredPath?.trim();
  if (setting) {
    return lookUpSetting(setting, context);
  }
  const searched: string[] = [];
  for (const [source, candidates] of unconfiguredCandidates(context)) {
    for (const candidate of candidates) {
      searched.push(candidate);
      if (fileState(candidate, context.platform) === 'executable') {
        return { kind: 'found', path: candidate, source };
      }
    }
  }
  return { kind: 'notFound', searched };
}

function lookUpSetting(setting: string, context: LookupContext): BinaryLookup {
  const resolvedPath = resolveConfiguredPath(setting, context);
  if (resolvedPath === undefined) {
    return { kind: 'settingUnusable', setting, resolvedPath, problem: 'relativeWithoutWorkspace' };
  }
  for (const candidate of windowsExtensionCandidates(resolvedPath, context)) {
    if (fileState(candidate, context.platform) === 'executable') {
      return { kind: 'found', path: candidate, source: 'setting' };
    }
  }
  const state = fileState(resolvedPath, context.platform);
  if (state === 'executable') {
    return { kind: 'found', path: resolvedPath, source: 'setting' };
  }
  return { kind: 'settingUnusable', setting, resolvedPath, problem: state };
}

/** Makes `seam.path` absolute: `~` is the home directory, relative is against the workspace folder. */
export function resolveConfiguredPath(setting: string, context: LookupContext): string | undefined {
  const expanded = expandHome(setting, context.homeDir, context.platform);
  if (path.isAbsolute(expanded)) {
    return path.normalize(expanded);
  }
  return context.workspaceFolder === undefined ? undefined : path.resolve(context.workspaceFolder, expanded);
}

/** Expands a leading `~` (alone or followed by a separator); `~user` is left alone. */
export function expandHome(setting: string, homeDir: string, platform: NodeJS.Platform): string {
  if (setting === '~') {
    return homeDir;
  }
  const separators = platform === 'win32' ? ['~/', '~\\'] : ['~/'];
  const prefix = separators.find((separator) => setting.startsWith(separator));
  return prefix === undefined ? setting : path.join(homeDir, setting.slice(prefix.length));
}

/**
 * On Windows a setting without an extension may name the binary the way it is typed
 * in a shell (`C:\tools\seam`), so the PATHEXT extensions are tried before the bare path.
 */
function windowsExtensionCandidates(resolvedPath: string, context: LookupContext): string[] {
  if (context.platform !== 'win32' || path.extname(resolvedPath) !== '') {
    return [];
  }
  return windowsExecutableExtensions(context.env).map((extension) => resolvedPath + extension);
}

function unconfiguredCandidates(context: LookupContext): Array<[BinarySource, string[]]> {
  return [
    ['nodeModules', nodeModulesCandidates(context)],
    ['path', pathCandidates(context)],
  ];
}

function nodeModulesCandidates(context: LookupContext): string[] {
  if (context.workspaceFolder === undefined) {
    return [];
  }
  const binDirectory = path.join(context.workspaceFolder, 'node_modules', '.bin');
  // npm puts a shell script named `seam` next to `seam.cmd` on Windows; only the
  // latter can be started there. A native `seam.exe` is preferred as it needs no shell.
  const names = context.platform === 'win32' ? ['seam.exe', 'seam.cmd'] : ['seam'];
  return names.map((name) => path.join(binDirectory, name));
}

function pathCandidates(context: LookupContext): string[] {
  const names =
    context.platform === 'win32'
      ? windowsExecutableExtensions(context.env).map((extension) => 'seam' + extension)
      : ['seam'];
  return pathDirectories(context).flatMap((directory) => names.map((name) => path.join(directory, name)));
}

/**
 * The absolute directories of PATH. Empty and relative entries are skipped: a shell
 * resolves them against its working directory, which for VS Code means nothing useful
 * and could pick up a binary from an untrusted workspace.
 */
function pathDirectories(context: LookupContext): string[] {
  const delimiter = context.platform === 'win32' ? ';' : ':';
  const value = environmentValue(context.env, 'PATH', context.platform) ?? '';
  return value
    .split(delimiter)
    .map((entry) => (context.platform === 'win32' ? stripQuotes(entry.trim()) : entry))
    .filter((entry) => entry !== '' && path.isAbsolute(entry));
}

/** Lower-case extensions from PATHEXT (Windows file names are case-insensitive). */
function windowsExecutableExtensions(env: LookupContext['env']): string[] {
  const value = environmentValue(env, 'PATHEXT', 'win32') || '.COM;.EXE;.BAT;.CMD';
  return value
    .split(';')
    .map((extension) => extension.trim().toLowerCase())
    .filter((extension) => extension.startsWith('.'));
}

/** Windows environment names are case-insensitive (`Path` is common); POSIX ones are not. */
function environmentValue(
  env: LookupContext['env'],
  name: string,
  platform: NodeJS.Platform,
): string | undefined {
  if (platform !== 'win32') {
    return env[name];
  }
  const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

function stripQuotes(entry: string): string {
  return entry.length >= 2 && entry.startsWith('"') && entry.endsWith('"') ? entry.slice(1, -1) : entry;
}

type FileState = 'executable' | 'missing' | 'notAFile' | 'notExecutable';

function fileState(filePath: string, platform: NodeJS.Platform): FileState {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(filePath); // follows symlinks, as node_modules/.bin entries are
  } catch {
    return 'missing';
  }
  if (!stats.isFile()) {
    return 'notAFile';
  }
  // Windows has no execute bit: the extension decides what can run.
  if (platform === 'win32') {
    return 'executable';
  }
  try {
    fs.accessSync(filePath, fs.constants.X_OK);
    return 'executable';
  } catch {
    return 'notExecutable';
  }
}

/** The message shown to the user when no usable binary was found. */
export function describeLookupFailure(failure: LookupFailure): string {
  if (failure.kind === 'notFound') {
    return `seam was not found: \`seam.path\` is not set, and neither the workspace's node_modules/.bin nor PATH has it. ${INSTALL_HINT}`;
  }
  const setting = `\`seam.path\` is set to "${failure.setting}"`;
  switch (failure.problem) {
    case 'missing':
      return `${setting}, but ${failure.resolvedPath} does not exist.`;
    case 'notAFile':
      return `${setting}, but ${failure.resolvedPath} is not a file.`;
    case 'notExecutable':
      return `${setting}, but ${failure.resolvedPath} is not executable (chmod +x it).`;
    case 'relativeWithoutWorkspace':
      return `${setting}, a relative path, but no workspace folder is open to resolve it against. Use an absolute path.`;
  }
}

export interface ServerCommand {
  command: string;
  args: string[];
  shell: boolean;
}

/** How to spawn `<binary> lsp`. */
export function serverCommand(binaryPath: string, platform: NodeJS.Platform): ServerCommand {
  // Node refuses to spawn .cmd and .bat files without a shell (CVE-2024-27980), and
  // with a shell cmd.exe needs the path quoted in case it contains spaces.
  if (platform === 'win32' && /\.(cmd|bat)$/i.test(binaryPath)) {
    return { command: `"${binaryPath}"`, args: ['lsp'], shell: true };
  }
  return { command: binaryPath, args: ['lsp'], shell: false };
}
