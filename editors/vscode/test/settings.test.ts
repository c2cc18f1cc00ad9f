import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_SETTINGS,
  MAX_DEBOUNCE_MS,
  initializationOptions,
  needsRestart,
  readSettings,
} from '../src/settings';

/** A `get` over a plain object, as `workspace.getConfiguration('seam').get` would answer. */
function from(values: Record<string, unknown>): (key: string) => unknown {
  return (key) => values[key];
}

describe('readSettings', () => {
  test('unset settings take the defaults', () => {
    assert.deepEqual(readSettings(from({})), { enable: true, path: null, run: 'onType', debounceMs: 100 });
    assert.deepEqual(readSettings(from({})), DEFAULT_SETTINGS);
  });

  test('valid values are kept', () => {
    const settings = readSettings(from({ enable: false, path: '/opt/seam', run: 'onSave', debounceMs: 250 }));

    assert.deepEqual(settings, { enable: false, path: '/opt/seam', run: 'onSave', debounceMs: 250 });
  });

  test('values of the wrong type fall back to the defaults', () => {
    const settings = readSettings(from({ enable: 'no', path: 42, run: 'onChange', debounceMs: '50' }));

    assert.deepEqual(settings, DEFAULT_SETTINGS);
  });

  test('seam.path is trimmed, and blank means unset', () => {
    assert.equal(readSettings(from({ path: '  ~/bin/seam ' })).path, '~/bin/seam');
    assert.equal(readSettings(from({ path: '   ' })).path, null);
    assert.equal(readSettings(from({ path: null })).path, null);
  });

  test('debounceMs becomes an integer within what the server accepts', () => {
    const debounce = (value: unknown) => readSettings(from({ debounceMs: value })).debounceMs;

    assert.equal(debounce(120.6), 121);
    assert.equal(debounce(-5), 0);
    assert.equal(debounce(1e9), MAX_DEBOUNCE_MS);
    assert.equal(debounce(Number.NaN), 100);
    assert.equal(debounce(Number.POSITIVE_INFINITY), 100);
  });
});

describe('initializationOptions', () => {
  test('carries exactly run and debounceMs', () => {
    const settings = readSettings(from({ enable: true, path: '/opt/seam', run: 'onSave', debounceMs: 40 }));

    assert.deepEqual(initializationOptions(settings), { run: 'onSave', debounceMs: 40 });
  });

  test('defaults to checking on type after 100 ms', () => {
    assert.deepEqual(initializationOptions(readSettings(from({}))), { run: 'onType', debounceMs: 100 });
  });
});

describe('needsRestart', () => {
  const changed = (...sections: string[]) => (section: string) => sections.includes(section);

  test('seam.path and seam.enable restart the client', () => {
    assert.equal(needsRestart(changed('seam.path')), true);
    assert.equal(needsRestart(changed('seam.enable')), true);
  });

  test('settings the running server receives do not', () => {
    assert.equal(needsRestart(changed('seam.run')), false);
    assert.equal(needsRestart(changed('seam.debounceMs')), false);
    assert.equal(needsRestart(changed('seam.trace.server')), false);
    assert.equal(needsRestart(changed('editor.fontSize')), false);
  });
});
