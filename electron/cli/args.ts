/** What the command line said: the command, its positional words and every --flag (value or boolean). */
export interface ParsedArgs {
  command: string | null;
  positionals: string[];
  flags: Map<string, string | true>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Flags may come before or after the command (`--db F call m` and `call m --db F` are the same). A flag takes the
 * next word as its value unless it is boolean or written `--flag=value`; `--` ends the flags, so a JSON argument
 * starting with "-" can still be passed. A flag may be given twice only if `repeatable`: its values are joined by commas.
 */
export function parseArgs(argv: readonly string[], booleanFlags: ReadonlySet<string>, repeatable: ReadonlySet<string> = new Set()): ParsedArgs {
  const flags = new Map<string, string | true>();
  const words: string[] = [];
  let onlyWords = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (onlyWords || !a.startsWith('--') ) {
      words.push(a);
      continue;
    }
    if (a === '--') {
      onlyWords = true;
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new UsageError(`无法识别的参数 ${a}`);
    const again = flags.get(name);
    if (again !== undefined && !repeatable.has(name)) throw new UsageError(`参数 --${name} 重复`);
    const set = (v: string) => flags.set(name, typeof again === 'string' ? `${again},${v}` : v);
    if (eq >= 0) set(a.slice(eq + 1));
    else if (booleanFlags.has(name)) flags.set(name, true);
    else {
      const v = argv[i + 1];
      if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`参数 --${name} 后面缺少取值`);
      set(v);
      i++;
    }
  }
  return { command: words[0] ?? null, positionals: words.slice(1), flags };
}
