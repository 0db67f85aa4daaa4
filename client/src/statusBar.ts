// Status-bar item: corpus size and problems as reported by the server (`jpmg/corpusStatus`), or the client state.
import * as vscode from 'vscode';
import type { Ctx } from './ctx';

export function createStatusBar(ctx: Ctx): vscode.StatusBarItem {
  const item = ctx.own(vscode.window.createStatusBarItem('jpmg.status', vscode.StatusBarAlignment.Right, 100));
  item.name = 'JPMG Corpus';
  const update = (): void => {
    const status = ctx.corpusStatus;
    item.backgroundColor = undefined;
    if (ctx.state === 'failed') {
      item.text = '$(error) JPMG';
      item.tooltip = 'The JPMG language server failed to start. Click to show its output.';
      item.command = 'jpmg.showOutput';
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (ctx.state !== 'running' || !status) {
      item.text = ctx.state === 'stopped' ? '$(debug-stop) JPMG' : '$(sync~spin) JPMG';
      item.tooltip = ctx.state === 'stopped' ? 'The JPMG language server is stopped.' : 'Loading the JPMG corpus…';
      item.command = 'jpmg.showOutput';
    } else {
      const problems = status.problems > 0 ? ` $(warning) ${status.problems}` : '';
      item.text = `${status.indexing ? '$(sync~spin)' : '$(book)'} JPMG ${status.entities}${problems}`;
      const tooltip = new vscode.MarkdownString(undefined, true);
      tooltip.isTrusted = false;
      tooltip.appendMarkdown(`**JPMG corpus**: ${status.entities} entities`);
      if (status.overlayFiles > 0) tooltip.appendMarkdown(`, ${status.overlayFiles} workspace overlay files`);
      tooltip.appendMarkdown(`\n\n${status.problems} ${status.problems === 1 ? 'problem' : 'problems'} in the corpus`);
      if (status.indexing) tooltip.appendMarkdown('\n\n$(sync) Indexing the workspace corpus; answers come from the corpus above until it is done.');
      if (!status.trusted) tooltip.appendMarkdown('\n\n$(shield) Restricted mode: workspace overlays are not read.');
      item.tooltip = tooltip;
      item.command = status.problems > 0 ? 'workbench.actions.view.problems' : 'jpmg.meetings.focus';
    }
    item.show();
  };
  ctx.own(ctx.onDidChangeStatus(update));
  update();
  return item;
}
