/**
 * `npm run corridor -- hash-password`: reads a password and prints its scrypt hash for
 * CORRIDOR_STAFF_ACCOUNTS. On a terminal it asks twice without echoing; from a pipe it reads the
 * first line (`printf '%s' "$PW" | npm run -s corridor -- hash-password`), so scripts can use it
 * without the password appearing in the process list.
 */
import { hashPassword } from '../src/web/staff/passwords';

export const MIN_PASSWORD_LENGTH = 10;

export class PasswordInputError extends Error {}

/** Reads one line from a terminal in raw mode, echoing nothing. */
function promptHidden(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(prompt);
    let value = '';
    const done = (err?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new PasswordInputError('cancelled')); // Ctrl-C
        if (ch === '\u0004') return done(); // Ctrl-D ends the line
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

async function readPiped(input: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(chunk as Buffer);
  // The first line; a trailing newline (from echo) is not part of the password.
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

export async function readPassword(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (!input.isTTY) return readPiped(input);
  const first = await promptHidden('Password: ', input, output);
  const second = await promptHidden('Repeat it: ', input, output);
  if (first !== second) throw new PasswordInputError('the two passwords differ; nothing was printed');
  return first;
}

export async function hashPasswordCommand(args: string[]): Promise<number> {
  const name = args[0] === '--name' ? args[1] : undefined;
  const password = await readPassword();
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new PasswordInputError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const hash = await hashPassword(password);
  process.stdout.write(`${name ? `${name}:` : ''}${hash}\n`);
  if (process.stderr.isTTY) {
    process.stderr.write(
      `\nAdd it to CORRIDOR_STAFF_ACCOUNTS as ${name ? 'shown' : 'name:hash'} (several accounts separated by spaces or commas),\n` +
        `in single quotes in a shell ("$" is special), e.g.\n  CORRIDOR_STAFF_ACCOUNTS='${name ?? 'amina'}:${hash}'\n`,
    );
  }
  return 0;
}
