// VS Code glue: runs `seam lsp` through vscode-languageclient and adds the seam commands.
// Binary lookup and settings live in binary.ts and settings.ts, which are tested under plain Node.

import * as os from 'node:os';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, State } from 'vscode-languageclient/node';
import { describeLookupFailure, findSeamBinary, serverCommand, type BinarySource, type LookupFailure } from './binary';
import { initializationOptions, needsRestart, readSettings, type SeamSettings } from './settings';

/** The client id: vscode-languageclient reads `seam.trace.server` because of it. */
const CLIENT_ID = 'seam';
const LANGUAGES = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact'];
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('seam');
const OPEN_SETTINGS = 'Open settings';

let server: ServerController | undefined;

export function activate(context: vscode.ExtensionContext): void {
  // Created here rather than by the client so that it survives restarts.
  const output = vscode.window.createOutputChannel('seam');
  server = new ServerController(output);
  const controller = server;
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('seam.fixAll', () => fixAll(controller)),
    vscode.commands.registerCommand('seam.restartServer', () => controller.restart()),
    vscode.commands.registerCommand('seam.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // Other seam settings reach the running server through `synchronize.configurationSection`.
      if (needsRestart((section) => event.affectsConfiguration(section))) {
        void controller.restart();
      }
    }),
  );
  void controller.start();
}

export function deactivate(): Promise<void> | undefined {
  return server?.stop();
}

/**
 * Owns the language client. Start, stop and restart run one after another, so that
 * quick successive configuration changes cannot leave two servers running.
 */
class ServerController {
  private client: LanguageClient | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly output: vscode.OutputChannel) {}

  isRunning(): boolean {
    return this.client?.state === State.Running;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.startNow());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopNow());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopNow();
      await this.startNow();
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.pending.then(task);
    // A failed task is logged by the task itself and must not block the ones after it.
    this.pending = run.catch(() => undefined);
    return run;
  }

  private async startNow(): Promise<void> {
    const settings = readSettings((key) => vscode.workspace.getConfiguration('seam').get(key));
    if (!settings.enable) {
      this.output.appendLine('seam.enable is false: the server is not started.');
      return;
    }
    const workspaceFolder = firstWorkspaceFolderPath();
    const lookup = findSeamBinary({
      configuredPath: settings.path,
      workspaceFolder,
      platform: process.platform,
      env: process.env,
      homeDir: os.homedir(),
    });
    if (lookup.kind !== 'found') {
      this.reportUnusableBinary(lookup);
      return;
    }
    this.output.appendLine(`Starting ${lookup.path} lsp (found through ${describeSource(lookup.source)}).`);
    const client = createClient(lookup.path, workspaceFolder, settings, this.output);
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      // The client has already shown its own error; keep the details in the output.
      this.output.appendLine(`The seam server failed to start: ${errorMessage(error)}`);
      // A client that failed to start cannot be stopped (it throws), so forget it.
      this.client = undefined;
    }
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) {
      return;
    }
    try {
      await client.stop();
    } catch (error) {
      this.output.appendLine(`Stopping the seam server failed: ${errorMessage(error)}`);
    }
  }

  private reportUnusableBinary(failure: LookupFailure): void {
    const message = describeLookupFailure(failure);
    this.output.appendLine(message);
    if (failure.kind === 'notFound') {
      this.output.appendLine(`Looked for: ${failure.searched.join(', ') || '(nothing to search)'}`);
    }
    // Not awaited: the notification stays up until dismissed, and must not hold up
    // a restart queued behind this start.
    void vscode.window.showErrorMessage(message, OPEN_SETTINGS).then((choice) => {
      if (choice === OPEN_SETTINGS) {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'seam.path');
      }
    });
  }
}

function createClient(
  binaryPath: string,
  workspaceFolder: string | undefined,
  settings: SeamSettings,
  output: vscode.OutputChannel,
): LanguageClient {
  const { command, args, shell } = serverCommand(binaryPath, process.platform);
  // No `transport`: with TransportKind.stdio the client would append `--stdio` to the arguments.
  const serverOptions: ServerOptions = { command, args, options: { cwd: workspaceFolder, shell } };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.map((language) => ({ scheme: 'file', language })),
    initializationOptions: initializationOptions(settings),
    // The server reads `settings.seam.run` and `settings.seam.debounceMs` from didChangeConfiguration.
    synchronize: { configurationSection: 'seam' },
    outputChannel: output,
  };
  return new LanguageClient(CLIENT_ID, 'seam', serverOptions, clientOptions);
}

/** The server checks one workspace root, and node_modules/.bin is looked up there too. */
function firstWorkspaceFolderPath(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

function describeSource(source: BinarySource): string {
  switch (source) {
    case 'setting':
      return 'seam.path';
    case 'nodeModules':
      return 'node_modules/.bin';
    case 'path':
      return 'PATH';
  }
}

/** Applies the server's `source.fixAll.seam` action to the active editor's document. */
async function fixAll(controller: ServerController): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (document === undefined) {
    void vscode.window.showInformationMessage('seam: open a file to fix.');
    return;
  }
  if (!controller.isRunning()) {
    void vscode.window.showWarningMessage('seam: the server is not running (see "seam: Show output").');
    return;
  }
  const versionAsked = document.version;
  const action = await requestFixAll(document);
  if (action?.edit === undefined) {
    void vscode.window.showInformationMessage('seam: nothing to fix automatically in this file.');
    return;
  }
  // The edit's offsets are for the text the server saw; an edit typed meanwhile would shift them.
  if (document.version !== versionAsked) {
    void vscode.window.showWarningMessage('seam: the file changed while fixing; run the command again.');
    return;
  }
  if (!(await vscode.workspace.applyEdit(action.edit))) {
    void vscode.window.showWarningMessage('seam: VS Code did not apply the fixes.');
  }
}

async function requestFixAll(document: vscode.TextDocument): Promise<vscode.CodeAction | undefined> {
  const wholeDocument = new vscode.Range(new vscode.Position(0, 0), document.lineAt(document.lineCount - 1).range.end);
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command> | undefined>(
    'vscode.executeCodeActionProvider',
    document.uri,
    wholeDocument,
    FIX_ALL_KIND.value,
  );
  // Other extensions' providers may answer too; only seam's action is wanted.
  return (actions ?? []).filter(isCodeAction).find((action) => action.kind !== undefined && FIX_ALL_KIND.contains(action.kind));
}

/** `executeCodeActionProvider` mixes CodeActions with plain Commands, whose `command` is a string. */
function isCodeAction(item: vscode.CodeAction | vscode.Command): item is vscode.CodeAction {
  return typeof item.command !== 'string';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
