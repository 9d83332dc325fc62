// Which APIMart base URLs GenQueue sends the API key to: https only, with plain http allowed just
// for this computer (the simulator, tests). Pure, so the settings schema, the engine and the tests
// share one rule; a URL's hostname is already normalised (2130706433 is 127.0.0.1, [::1]).

/** True for a URL hostname that names this computer: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Why `url` cannot be the base URL, in words, or undefined when it can. */
export function baseUrlProblem(url: string): string | undefined {
  if (!URL.canParse(url)) return 'it is not a web address';
  const parsed = new URL(url);
  if (parsed.username || parsed.password) return 'it must not carry a user name or password';
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return undefined;
  return 'the API key is sent only over https (plain http only to this computer: localhost, 127.0.0.1, ::1)';
}

/** The origin an API key is bound to: scheme, host and port of the base URL. */
export function originOf(url: string): string {
  return new URL(url).origin;
}
