/**
 * Filename-pattern labels: `{root}{octave}_{quality}` matched against `C4_major.wav` gives
 * { root: 'C', octave: '4', quality: 'major' }. A few placeholder names have a shape so adjacent
 * placeholders split sensibly; any other name matches a run of characters. Matching runs on RE2
 * (re2js), linear in the file name's length: a backtracking engine takes seconds on a pattern of
 * a dozen free placeholders and stalls every other call meanwhile.
 */
import { RE2JS } from 're2js';

const SHAPES: Record<string, string> = {
  root: '[A-Ga-g](?:#|b|♯|♭)?',
  note: '[A-Ga-g](?:#|b|♯|♭)?-?\\d+',
  octave: '-?\\d+',
  n: '\\d+',
  number: '\\d+',
  velocity: '\\d+',
  bpm: '\\d+(?:\\.\\d+)?',
};

export interface CompiledPattern {
  names: string[];
  regex: RE2JS;
}

/** Compiles a pattern, with a specific error for a malformed one. */
export function compilePattern(pattern: string): CompiledPattern {
  if (!pattern.trim()) throw new Error('the pattern is empty');
  const names: string[] = [];
  let source = '';
  const re = /\{([^{}]*)\}|([^{}]+)|([{}])/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(pattern))) {
    if (m[3]) throw new Error(`unbalanced "${m[3]}" in the pattern`);
    if (m[2] !== undefined) {
      if (/[\\/]/.test(m[2])) throw new Error(`"${m[2]}" contains a folder separator: the pattern is matched against file names (without folders), so it can never match`);
      source += m[2].replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\*/g, '.*');
      continue;
    }
    const name = m[1].trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`"{${m[1]}}" is not a placeholder name (letters, digits, _)`);
    if (names.includes(name)) throw new Error(`{${name}} appears twice in the pattern`);
    names.push(name);
    source += `(?P<${name}>${SHAPES[name.toLowerCase()] ?? '.+?'})`;
  }
  if (names.length === 0) throw new Error('the pattern has no {placeholder}');
  return { names, regex: RE2JS.compile(`^${source}$`, RE2JS.CASE_INSENSITIVE) };
}

/** The file name without folders and extension. */
export function stem(relPath: string): string {
  const base = relPath.split(/[\\/]/).pop() ?? relPath;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Matches a file against a compiled pattern: its placeholder values, or null when it does not fit. */
export function matchPattern(compiled: CompiledPattern, relPath: string): Record<string, string> | null {
  const m = compiled.regex.matcher(stem(relPath));
  if (!m.matches()) return null;
  return Object.fromEntries(compiled.names.map((n) => [n, m.group(n) ?? '']));
}

/** The label a match gives: the chosen placeholders' values joined by a space (default: the last placeholder). */
export function labelFromMatch(compiled: CompiledPattern, groups: Record<string, string>, labelFrom?: string[]): string {
  const use = labelFrom && labelFrom.length > 0 ? labelFrom : [compiled.names[compiled.names.length - 1]];
  for (const name of use) if (!compiled.names.includes(name)) throw new Error(`{${name}} is not in the pattern`);
  return use.map((n) => groups[n]).join(' ');
}
