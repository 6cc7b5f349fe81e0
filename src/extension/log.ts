import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The "Action Lens" output channel (errors with their stacks, runs, exports). */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Action Lens', { log: true });
  return channel;
}

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}

/** Shows an error in a notification (never swallowed) with a button to the log. */
export async function showError(message: string, detail?: string): Promise<void> {
  log().error(detail ? `${message}\n${detail}` : message);
  const choice = await vscode.window.showErrorMessage(`Action Lens: ${message}`, 'Show Log');
  if (choice === 'Show Log') log().show(true);
}
