import katex from 'katex';

/** Typesets LaTeX into `el` with the panel's safe options (untrusted text only ever inside \text{}). */
export function typeset(el: HTMLElement, tex: string, displayMode = false): void {
  katex.render(tex, el, {
    displayMode,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    maxExpand: 100,
    maxSize: 20,
    output: 'htmlAndMathml',
  });
}
