import type { CliIo } from './command.ts';

/**
 * Reads a password from the terminal without echoing it. Raw mode lets us see each key: Enter ends, Backspace
 * deletes, Ctrl-C / Ctrl-D abandon (rejecting, so the command ends with a usage error rather than hanging).
 */
export function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const input = io.stdin;
  return new Promise((resolve, reject) => {
    io.stderr.write(prompt);
    let value = '';
    const wasRaw = (input as { isRaw?: boolean }).isRaw ?? false;
    input.setRawMode?.(true);
    input.resume();
    input.setEncoding('utf8');
    const done = (err: Error | null) => {
      input.removeListener('data', onData);
      input.setRawMode?.(wasRaw);
      input.pause();
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || ch === '\u0004') return done(new Error('已取消输入密码'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}
