// The report webviews' only script (loaded with the page's nonce): buttons post their action to
// the extension, which does the work (save dialog, re-run). Nothing from the page is evaluated.
(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
    if (button) vscode.postMessage({ action: button.getAttribute('data-action') });
  });
})();
