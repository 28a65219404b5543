/**
 * Custom base URLs (proxies, the local sandbox) are allowed, but plain http only on loopback:
 * a token or a secret must never travel unencrypted over a network.
 */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Returns the URL without a trailing slash, or throws an Error that says what to fix. */
export function normaliseBaseUrl(value: string, fieldLabel: string): string {
	const trimmed = (value ?? '').trim().replace(/\/+$/, '');
	if (!URL.canParse(trimmed)) {
		throw new Error(`${fieldLabel} "${trimmed}" is not a valid URL. Use a full URL such as https://proxy.example.com.`);
	}
	const url = new URL(trimmed);
	if (url.protocol === 'https:') return trimmed;
	if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return trimmed;
	if (url.protocol === 'http:') {
		throw new Error(`${fieldLabel} uses http on ${url.hostname}. Plain http is allowed only for loopback addresses (127.0.0.1, localhost); use https.`);
	}
	throw new Error(`${fieldLabel} must be an http(s) URL, got "${url.protocol}".`);
}
