/**
 * @module element
 * Finding the page's fixed elements and creating new ones. Text always goes in through
 * `textContent`, so data from the API can never be parsed as markup.
 */

/**
 * Creates `<tag class="className">text</tag>` with the given children appended after the text.
 * @example el("p", { className: "muted", text: "No sources yet" })
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { className?: string; text?: string } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  node.append(...children);
  return node;
}

/**
 * The element with `id`, checked to be of `type`; throws when index.html and the code disagree.
 * @example const form = byId("sign-in-form", HTMLFormElement);
 */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`index.html has no <${type.name}> #${id}`);
  return node;
}
