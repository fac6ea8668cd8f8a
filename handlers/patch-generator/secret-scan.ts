// Secrets a patch must never add: private key blocks, AWS access keys, GitHub tokens, and
// generic assignments of high-entropy strings to secret-sounding names. Only added lines are
// scanned (a secret already in the base is not this patch's doing), and a finding never repeats
// the secret: the message shows its kind and a masked prefix.

export interface SecretFinding {
  kind: string;
  line: number;
  masked: string;
}

interface SecretPattern {
  kind: string;
  pattern: RegExp;
  /** Capture group holding the secret (0 = whole match). */
  group: number;
  ignore?: (value: string) => boolean;
}

const PATTERNS: SecretPattern[] = [
  {
    kind: "private key block",
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/,
    group: 0,
  },
  {
    kind: "AWS access key id",
    pattern: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b/,
    group: 1,
    // AWS's documentation key (AKIAIOSFODNN7EXAMPLE) appears in docs on purpose.
    ignore: (value) => value.endsWith("EXAMPLE"),
  },
  {
    kind: "AWS secret access key",
    pattern:
      /aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/i,
    group: 1,
    ignore: (value) => /EXAMPLEKEY$/.test(value),
  },
  { kind: "GitHub token", pattern: /\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,})\b/, group: 1 },
  { kind: "GitHub fine-grained token", pattern: /\b(github_pat_[A-Za-z0-9_]{22,})\b/, group: 1 },
];

const SECRET_NAME =
  "[A-Za-z0-9_.-]*(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credential)[A-Za-z0-9_.-]*";

// NAME = "value" / NAME: 'value' / "NAME": "value" / NAME=value (dotenv, shell).
const ASSIGNMENT_QUOTED = new RegExp(
  `(${SECRET_NAME})["']?\\s*(?::=|=>|[:=])\\s*["'\`]([^"'\`\\s]{16,})["'\`]`,
  "i",
);
const ASSIGNMENT_BARE = new RegExp(
  `^\\s*(?:export\\s+)?(${SECRET_NAME})\\s*=\\s*([^"'\`\\s#]{16,})\\s*$`,
  "i",
);

const PLACEHOLDER =
  /x{4,}|\*{4,}|example|changeme|placeholder|your[_-]|<[^>]*>|\$\{|\{\{|process\.env|dummy|redacted/i;

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function looksRandom(value: string): boolean {
  if (PLACEHOLDER.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
  return classes >= 2 && shannonEntropy(value) >= 3.5;
}

export function maskSecret(value: string): string {
  return `${value.slice(0, 4)}… (${value.length} chars)`;
}

/** Scans added lines; `line` is the 1-based line number in the new file. */
export function findSecrets(lines: Array<{ line: number; text: string }>): SecretFinding[] {
  const findings: SecretFinding[] = [];
  lines.forEach(({ line, text }) => {
    for (const { kind, pattern, group, ignore } of PATTERNS) {
      const match = pattern.exec(text);
      if (match && !ignore?.(match[group])) {
        findings.push({ kind, line, masked: maskSecret(match[group]) });
        return;
      }
    }
    for (const assignment of [ASSIGNMENT_QUOTED, ASSIGNMENT_BARE]) {
      const match = assignment.exec(text);
      if (match && looksRandom(match[2])) {
        findings.push({
          kind: `high-entropy value assigned to "${match[1]}"`,
          line,
          masked: maskSecret(match[2]),
        });
        return;
      }
    }
  });
  return findings;
}
