/** One element of a parsed XML document: name, attributes, children. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const TOKEN = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\/?([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|</g;
const ATTRIBUTE = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

/**
 * A strict, small XML well-formedness parser for tests (no dependency): one root element, every
 * tag closed in order, attributes quoted and unique, no bare `&` or `<` in text or attributes.
 * Throws on the first violation; returns the root element.
 */
export function parseXml(source: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  for (const match of source.matchAll(TOKEN)) {
    const [token, name, attributeText, selfClosing, text] = match;
    if (token === "<") throw new Error(`bare '<' at ${match.index}`);
    if (text !== undefined) {
      if (text.replace(ENTITY, "").includes("&")) throw new Error(`bare '&' in text at ${match.index}`);
      const parent = stack.at(-1);
      if (parent === undefined && text.trim() !== "") throw new Error(`text outside the root element at ${match.index}`);
      if (parent !== undefined) parent.text += text;
      continue;
    }
    if (name === undefined) continue;
    if (token.startsWith("</")) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name ?? "nothing"}> at ${match.index}`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const attribute of (attributeText ?? "").matchAll(ATTRIBUTE)) {
      const [, key = "", double, single] = attribute;
      if (key in attributes) throw new Error(`duplicate attribute ${key} on <${name}>`);
      const value = double ?? single ?? "";
      if (value.replace(ENTITY, "").includes("&")) throw new Error(`bare '&' in attribute ${key} of <${name}>`);
      attributes[key] = value;
    }
    const element: XmlElement = { name, attributes, children: [], text: "" };
    const parent = stack.at(-1);
    if (parent === undefined) {
      if (root !== undefined) throw new Error("more than one root element");
      root = element;
    } else parent.children.push(element);
    if (selfClosing !== "/") stack.push(element);
  }
  if (stack.length > 0) throw new Error(`<${stack.at(-1)?.name ?? ""}> never closed`);
  if (root === undefined) throw new Error("no root element");
  return root;
}

/** Every element below `element` (depth first) named `name`. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...findAll(child, name)]);
}
