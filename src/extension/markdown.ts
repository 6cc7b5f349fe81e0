/** Untrusted text in Markdown (hovers). Pure. */

/** Longest column name shown in a hover. */
export const MAX_NAME = 80;

/**
 * Untrusted text as Markdown that renders as exactly that text: control characters become spaces,
 * text longer than `max` characters is cut with '…', and every ASCII punctuation character is
 * backslash-escaped (CommonMark allows this for all of them), so no link, image, HTML tag, entity,
 * emphasis or autolink can form.
 */
export function escapeMarkdownText(s: string, max = MAX_NAME): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
  const cut = [...t].length > max ? [...t].slice(0, max - 1).join('') + '…' : t;
  return cut.replace(/[!-/:-@[-`{-~]/g, (ch) => `\\${ch}`);
}

