// HTML built from tagged templates that escape every interpolated value unless it is already
// markup built here: GitHub text (titles, bodies, comments, diffs) is untrusted and renders as text.
export interface Markup {
  readonly markup: string;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

type Value = Markup | string | number | boolean | null | undefined | Value[];

function isMarkup(value: unknown): value is Markup {
  return typeof value === "object" && value !== null && "markup" in value;
}

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  if (isMarkup(value)) return value.markup;
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return { markup: out };
}

/** Markup from a trusted string (the renderer's own constants only). */
export function raw(markup: string): Markup {
  return { markup };
}
