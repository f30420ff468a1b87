/**
 * @module Copyable block: a focusable `<pre>` with a Copy button that `app.js` reveals.
 */

/** A labelled `<pre>` with a Copy button (shown when scripts run). */
export function CopyBlock({ id, text, label }: { id: string; text: string; label: string }) {
  return (
    <div class="copy-block">
      <pre id={id} class="json" tabIndex={0} aria-label={label}>{text}</pre>
      <button type="button" class="small copy" data-copy={`#${id}`} hidden>Copy</button>
    </div>
  );
}
