/** What a stack trace or an internal error looks like in a response body: none may reach a visitor. */
export function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  expect(text).not.toMatch(/\.ts:\d+|\.js:\d+|node_modules|URIError|TypeError|RangeError|SqliteError|ResponseError/);
}
