// @ts-check
'use strict';

/**
 * Login with Amazon (LWA) token endpoint and SP-API access-token checks.
 *
 * @typedef {{ clientId: string, clientSecret: string, refreshToken: string }} LwaCredentials
 * @typedef {{ method: string, path: string, dataElements?: string[] }} RestrictedResource
 * @typedef {{ kind: 'lwa'|'grantless'|'rdt', expiresT: number, resources?: RestrictedResource[], scope?: string }} TokenInfo
 */

const GRANTLESS_SCOPES = ['sellingpartnerapi::notifications', 'sellingpartnerapi::client_credential:rotation', 'sellingpartnerapi::migration'];
const TOKEN_TTL_MS = 3600 * 1000;

/**
 * @param {{ clock: import('../lib/clock').Clock, rng: import('../lib/rng').Rng, credentials: LwaCredentials }} deps
 */
function createAuth({ clock, rng, credentials }) {
	/** @type {Map<string, TokenInfo>} */
	const tokens = new Map();
	let refreshRevoked = false;
	let tokenRequests = 0;
	let tokensIssued = 0;
	let rdtsIssued = 0;

	const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
	/** @param {string} prefix @param {number} n */
	const newToken = (prefix, n) => `${prefix}${rng.chars(n, b64)}`;

	/** @param {number} status @param {string} error @param {string} description */
	const lwaError = (status, error, description) => ({ status, body: { error_description: description, error } });

	/**
	 * POST /auth/o2/token
	 * @param {string} contentType
	 * @param {string} rawBody
	 * @returns {{ status: number, body: any }}
	 */
	function tokenRequest(contentType, rawBody) {
		tokenRequests++;
		if (!/^application\/x-www-form-urlencoded\b/i.test(contentType || '')) {
			return lwaError(400, 'invalid_request', `The request has an invalid Content-Type "${contentType || '(none)'}"; use application/x-www-form-urlencoded`);
		}
		const form = new URLSearchParams(rawBody);
		for (const [k] of form) {
			if (form.getAll(k).length > 1) return lwaError(400, 'invalid_request', `The request has a duplicate parameter : ${k}`);
		}
		const grant = form.get('grant_type');
		if (!grant) return lwaError(400, 'invalid_request', 'The request is missing a required parameter : grant_type');
		if (grant !== 'refresh_token' && grant !== 'client_credentials') {
			return lwaError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server');
		}
		for (const k of ['client_id', 'client_secret', ...(grant === 'refresh_token' ? ['refresh_token'] : ['scope'])]) {
			if (!form.get(k)) return lwaError(400, 'invalid_request', `The request is missing a required parameter : ${k}`);
		}
		if (form.get('client_id') !== credentials.clientId || form.get('client_secret') !== credentials.clientSecret) {
			return lwaError(401, 'invalid_client', 'Client authentication failed');
		}
		if (grant === 'client_credentials') {
			const scope = /** @type {string} */ (form.get('scope'));
			if (!GRANTLESS_SCOPES.includes(scope)) return lwaError(400, 'invalid_scope', 'An unknown scope was requested');
			const token = newToken('Atc|', 320);
			tokens.set(token, { kind: 'grantless', expiresT: clock.t() + TOKEN_TTL_MS, scope });
			tokensIssued++;
			return { status: 200, body: { access_token: token, scope, token_type: 'bearer', expires_in: 3600 } };
		}
		if (form.get('refresh_token') !== credentials.refreshToken || refreshRevoked) {
			return lwaError(400, 'invalid_grant', 'The request has an invalid grant parameter : refresh_token');
		}
		const token = newToken('Atza|', 360);
		tokens.set(token, { kind: 'lwa', expiresT: clock.t() + TOKEN_TTL_MS });
		tokensIssued++;
		return { status: 200, body: { access_token: token, refresh_token: credentials.refreshToken, token_type: 'bearer', expires_in: 3600 } };
	}

	/**
	 * @param {string|undefined} token
	 * @returns {{ ok: true, info: TokenInfo } | { ok: false, details: string }}
	 */
	function check(token) {
		if (!token) return { ok: false, details: 'The access token you provided is revoked, malformed or invalid.' };
		const info = tokens.get(token);
		if (!info || info.kind === 'grantless') return { ok: false, details: 'The access token you provided is revoked, malformed or invalid.' };
		if (info.expiresT <= clock.t()) return { ok: false, details: 'The access token you provided has expired.' };
		return { ok: true, info };
	}

	/** @param {RestrictedResource[]} resources */
	function issueRdt(resources) {
		const token = newToken('Atz.sprdt|', 300);
		tokens.set(token, { kind: 'rdt', expiresT: clock.t() + TOKEN_TTL_MS, resources });
		rdtsIssued++;
		return token;
	}

	return {
		tokenRequest,
		check,
		issueRdt,
		expireAccessTokens() {
			for (const info of tokens.values()) info.expiresT = Math.min(info.expiresT, clock.t());
		},
		revokeRefreshToken() {
			refreshRevoked = true;
		},
		restoreRefreshToken() {
			refreshRevoked = false;
		},
		/** @param {{ tokens?: boolean }} [opts] */
		reset(opts = {}) {
			refreshRevoked = false;
			tokenRequests = 0;
			tokensIssued = 0;
			rdtsIssued = 0;
			if (opts.tokens) tokens.clear();
		},
		stats: () => ({
			tokenRequests,
			tokensIssued,
			rdtsIssued,
			activeAccessTokens: [...tokens.values()].filter((t) => t.expiresT > clock.t()).length,
			refreshTokenRevoked: refreshRevoked,
		}),
	};
}

module.exports = { createAuth, TOKEN_TTL_MS };
