/**
 * A migration step's SQL cut into its statements, so the ladder can say which statement of a step it is on (issue 19:
 * progress on long work) while still running the step in one transaction. SQLite's own tokens decide: quoted strings
 * ('…', "…", `…`, […]) and comments (-- to the end of the line, /* … *\/) are skipped whole; a ';' ends a statement,
 * except inside a trigger's body (CREATE [TEMP] TRIGGER … BEGIN … END), where statements end with ';' too and the body
 * ends at its END — an END that closes no CASE. Every character of the text is in exactly one piece, in order (their
 * concatenation is the text); a piece of nothing but blanks and comments at the end is left off.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = sql.length;
  // The current statement: its first words (to tell a trigger), whether a trigger's body is open, CASE depth, and
  // whether it holds anything but blanks and comments.
  let words: string[] = [];
  let inBody = false;
  let caseDepth = 0;
  let hasToken = false;
  const reset = () => {
    words = [];
    inBody = false;
    caseDepth = 0;
    hasToken = false;
  };
  const isTrigger = () => words[0] === 'CREATE' && (words[1] === 'TRIGGER' || ((words[1] === 'TEMP' || words[1] === 'TEMPORARY') && words[2] === 'TRIGGER'));
  while (i < n) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const q = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(q, j);
        if (k < 0) {
          j = n;
          break;
        }
        // A doubled quote stands for one inside the quotes ([…] has no escape).
        if (q !== ']' && sql[k + 1] === q) {
          j = k + 2;
          continue;
        }
        j = k + 1;
        break;
      }
      hasToken = true;
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(sql[j])) j++;
      const w = sql.slice(i, j).toUpperCase();
      hasToken = true;
      if (words.length < 3) words.push(w);
      if (w === 'CASE') caseDepth++;
      else if (w === 'END') {
        if (caseDepth > 0) caseDepth--;
        else if (inBody) inBody = false;
      } else if (w === 'BEGIN' && !inBody && isTrigger()) inBody = true;
      i = j;
      continue;
    }
    if (c === ';') {
      hasToken = true;
      if (!inBody) {
        out.push(sql.slice(start, i + 1));
        start = i + 1;
        reset();
      }
      i++;
      continue;
    }
    if (!/\s/.test(c)) hasToken = true;
    i++;
  }
  if (start < n && hasToken) out.push(sql.slice(start));
  return out;
}

/** What a statement does, in a few words for the progress line: its verb and the object it names (CREATE INDEX x ON t). */
export function statementHead(stmt: string): { verb: string; name: string; table: string | null } {
  const text = stripComments(stmt).trim();
  const ident = String.raw`(?:"(?:[^"]|"")+"|\[[^\]]+\]|\x60[^\x60]+\x60|[\w$.]+)`;
  const unq = (s: string | undefined) => (s ?? '').replace(/^["[`]|["\]`]$/g, '').replace(/^(?:main|temp)\./i, '');
  let m = new RegExp(String.raw`^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?(${ident})\s+ON\s+(${ident})`, 'i').exec(text);
  if (m) return { verb: 'CREATE INDEX', name: unq(m[1]), table: unq(m[2]) };
  m = new RegExp(String.raw`^INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(${ident})[\s\S]*?\bFROM\s+(${ident})`, 'i').exec(text);
  if (m) return { verb: 'INSERT', name: unq(m[1]), table: unq(m[2]) };
  m = new RegExp(String.raw`^INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(${ident})`, 'i').exec(text);
  if (m) return { verb: 'INSERT', name: unq(m[1]), table: null };
  m = new RegExp(String.raw`^(UPDATE|DELETE\s+FROM)\s+(?:OR\s+\w+\s+)?(${ident})`, 'i').exec(text);
  if (m) return { verb: m[1].toUpperCase().replace(/\s+/g, ' '), name: unq(m[2]), table: unq(m[2]) };
  m = new RegExp(String.raw`^ALTER\s+TABLE\s+(${ident})`, 'i').exec(text);
  if (m) return { verb: 'ALTER TABLE', name: unq(m[1]), table: unq(m[1]) };
  m = new RegExp(String.raw`^CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?(TABLE|TRIGGER|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?(${ident})(?:\s+AS\s+SELECT[\s\S]*?\bFROM\s+(${ident}))?`, 'i').exec(text);
  if (m) return { verb: `CREATE ${m[1].toUpperCase()}`, name: unq(m[2]), table: m[3] ? unq(m[3]) : null };
  m = new RegExp(String.raw`^DROP\s+(TABLE|TRIGGER|VIEW|INDEX)\s+(?:IF\s+EXISTS\s+)?(${ident})`, 'i').exec(text);
  if (m) return { verb: `DROP ${m[1].toUpperCase()}`, name: unq(m[2]), table: null };
  const verb = /^\w+/.exec(text)?.[0].toUpperCase() ?? '';
  return { verb, name: '', table: null };
}

function stripComments(s: string): string {
  return s.replace(/--[^\n]*\n?/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
}
