// Reads pip requirements for what they need from the workspace: local packages, wheels, link folders and nested files.

/** A workspace path a requirements file points at, with what kind of reference it is. */
export interface RequirementReference {
  /** As written. */
  path: string;
  /** 1-based line in its file. */
  line: number;
  /** A nested requirements or constraints file (-r, -c): pip reads it relative to the file that names it. */
  nested: boolean;
}

/** Options whose argument is a file pip reads as more requirements. */
const NESTED_OPTIONS = new Set(['-r', '--requirement', '-c', '--constraint']);
/** Options whose argument may be a local folder or archive. */
const PATH_OPTIONS = new Set(['-e', '--editable', '-f', '--find-links']);

/**
 * The local paths in requirements text: nested files, editables, find-links folders, and lines that are paths
 * (./pkg, ../x, wheels/a.whl) rather than names. URLs and plain requirement specifiers are not paths.
 */
export function requirementReferences(text: string): RequirementReference[] {
  const references: RequirementReference[] = [];
  joinContinuations(text).forEach(({ line, number }) => {
    const tokens = stripComment(line).trim().split(/\s+/).filter(Boolean);
    for (let i = 0; i < tokens.length; i++) {
      const [option, inline] = splitOption(tokens[i]);
      if (NESTED_OPTIONS.has(option) || PATH_OPTIONS.has(option)) {
        const value = inline ?? tokens[++i];
        const nested = NESTED_OPTIONS.has(option);
        // A nested file is a path whatever it looks like (requirements-dev.txt); a URL is fetched by pip itself.
        if (value && (nested ? !isUrl(value) : isLocalPath(value))) references.push({ path: value, line: number, nested });
      } else if (i === 0 && !tokens[i].startsWith('-') && isLocalPath(withoutExtras(tokens[i]))) {
        references.push({ path: withoutExtras(tokens[i]), line: number, nested: false });
      }
    }
  });
  return references;
}

/** Whether pip would read this as a path: it looks like one (a slash, a leading dot, an archive name) and is no URL. */
export function isLocalPath(value: string): boolean {
  if (isUrl(value) || value.includes('@')) return false;
  return value.startsWith('.') || value.startsWith('/') || value.includes('/') || /\.(whl|tar\.gz|zip|tar\.bz2|tgz)$/i.test(value);
}

function isUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/** pip joins lines ending in a backslash; numbers stay those of the first physical line. */
function joinContinuations(text: string): { line: string; number: number }[] {
  const out: { line: string; number: number }[] = [];
  let pending: { line: string; number: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const current = pending ? { line: pending.line + raw, number: pending.number } : { line: raw, number: index + 1 };
    if (current.line.endsWith('\\')) pending = { line: current.line.slice(0, -1), number: current.number };
    else {
      pending = undefined;
      out.push(current);
    }
  });
  if (pending) out.push(pending);
  return out;
}

/** pip's comments start with # at the line start or after whitespace. */
function stripComment(line: string): string {
  return line.replace(/(^|\s)#.*$/, '');
}

function splitOption(token: string): [string, string | undefined] {
  const eq = token.indexOf('=');
  return token.startsWith('--') && eq > 0 ? [token.slice(0, eq), token.slice(eq + 1)] : [token, undefined];
}

/** "./pkg[extra]" installs ./pkg with extras. */
function withoutExtras(token: string): string {
  return token.replace(/\[[^\]]*\]$/, '');
}
