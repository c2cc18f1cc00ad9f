// The extension's settings, validated, and what the server is told about them.
// This module must not import `vscode`: the tests run it under plain Node.

export type RunOn = 'onType' | 'onSave';

export interface SeamSettings {
  enable: boolean;
  /** `seam.path`, trimmed; null when unset or blank. */
  path: string | null;
  run: RunOn;
  debounceMs: number;
}

/** What `seam lsp` reads from `initializationOptions` (see crates/seam_lsp, `Options::update`). */
export interface InitializationOptions {
  run: RunOn;
  debounceMs: number;
}

export const DEFAULT_SETTINGS: Readonly<SeamSettings> = {
  enable: true,
  path: null,
  run: 'onType',
  debounceMs: 100,
};

/** The server caps the debounce at this many milliseconds. */
export const MAX_DEBOUNCE_MS = 10_000;

/** Settings that change which process runs, or whether one does, so the client restarts. */
export const RESTART_SETTINGS = ['seam.path', 'seam.enable'] as const;

/**
 * Reads the settings through `get` (a key under `seam.`, e.g. `run`), replacing values
 * of the wrong type with defaults: settings.json is hand-edited and not validated.
 */
export function readSettings(get: (key: string) => unknown): SeamSettings {
  return {
    enable: readEnable(get('enable')),
    path: readPath(get('path')),
    run: readRun(get('run')),
    debounceMs: readDebounceMs(get('debounceMs')),
  };
}

function readEnable(value: unknown): boolean {
  return typeof value === 'boolean' ? value : DEFAULT_SETTINGS.enable;
}

function readPath(value: unknown): string | null {
  if (typeof value !== 'string') {
    return null;
  }
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function readRun(value: unknown): RunOn {
  return value === 'onSave' || value === 'onType' ? value : DEFAULT_SETTINGS.run;
}

/** The server ignores anything but a non-negative integer, so round and clamp here. */
function readDebounceMs(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return DEFAULT_SETTINGS.debounceMs;
  }
  return Math.min(MAX_DEBOUNCE_MS, Math.max(0, Math.round(value)));
}

export function initializationOptions(settings: SeamSettings): InitializationOptions {
  return { run: settings.run, debounceMs: settings.debounceMs };
}

/** Whether a configuration change needs the client restarted (`affects` is `affectsConfiguration`). */
export function needsRestart(affects: (section: string) => boolean): boolean {
  return RESTART_SETTINGS.some((section) => affects(section));
}
