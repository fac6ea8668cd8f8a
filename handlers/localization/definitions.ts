// Does a file define an identifier, or only mention it? A definition is a declaration in one of
// the common languages: `function x`, `class x`, `const x =`, `def x`, `func x` / `func (r T) x`,
// `type x`, `interface x`, a method `x(...) {`, an assignment `x = function` / `x: (...) =>`,
// `exports.x =`, `Foo.prototype.x =`.

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export type IdentifierUse = "defines" | "mentions" | null;

function definitionPattern(id: string): RegExp {
  const x = escapeRegExp(id);
  return new RegExp(
    [
      `\\b(?:function\\*?|class|interface|type|enum|struct|trait|def|fn|func|let|const|var|val|module|namespace)\\s+${x}\\b`,
      `\\bfunc\\s*\\([^)]*\\)\\s*${x}\\s*[(\\[]`,
      `(?:^|[\\s.])${x}\\s*[:=]\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*(?::[^=]+)?=>|[A-Za-z_$][\\w$]*\\s*=>)`,
      `^[ \\t]*(?:(?:export|default|public|private|protected|static|async|override|readonly|get|set)\\s+)*\\*?${x}\\s*(?:<[^>\\n]*>)?\\s*\\([^)\\n]*\\)?\\s*(?::[^{\\n]*)?\\{`,
      `\\b(?:exports|module\\.exports|prototype)\\.${x}\\s*=`,
      `^${x}\\s*=`,
    ].join("|"),
    "m",
  );
}

/** How `content` uses each identifier (only those it contains). */
export function identifierUses(content: string, identifiers: string[]): Map<string, IdentifierUse> {
  const uses = new Map<string, IdentifierUse>();
  for (const id of identifiers) {
    if (!content.includes(id)) continue;
    if (!new RegExp(`(?<![\\w$])${escapeRegExp(id)}(?![\\w$])`).test(content)) continue;
    uses.set(id, definitionPattern(id).test(content) ? "defines" : "mentions");
  }
  return uses;
}
