import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { postTokenForm } from '../tokenRequest';
import { amazonEndpoints } from './endpoints';

export interface LwaToken {
	accessToken: string;
	accessTokenExpiresAt: number;
}

interface LwaErrorBody {
	error?: string;
	error_description?: string;
}

/** Renew this long before the token's end, so no request is sent with a token about to die. */
export const TOKEN_RENEWAL_MARGIN_MS = 5 * 60 * 1000;

/**
 * Login with Amazon refresh-token grant. Called from the credential's preAuthentication, so n8n
 * persists the token and reuses it until it expires or SP-API rejects it.
 */
export async function exchangeRefreshToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	now: () => number = Date.now,
): Promise<LwaToken> {
	for (const field of ['clientId', 'clientSecret', 'refreshToken'] as const) {
		if (!String(credentials[field] ?? '').trim()) {
			throw new Error(`The Amazon credential has no ${field}. Copy it from the LWA app in Seller Central → Develop Apps.`);
		}
	}
	const { lwaTokenUrl } = amazonEndpoints(credentials);
	const { statusCode, body } = await postTokenForm(
		helper,
		lwaTokenUrl,
		{
			grant_type: 'refresh_token',
			refresh_token: String(credentials.refreshToken).trim(),
			client_id: String(credentials.clientId).trim(),
			client_secret: String(credentials.clientSecret).trim(),
		},
		'application/x-www-form-urlencoded;charset=UTF-8',
	);
	if (statusCode >= 200 && statusCode < 300 && typeof body.access_token === 'string') {
		const expiresIn = Number(body.expires_in ?? 3600);
		return { accessToken: body.access_token, accessTokenExpiresAt: now() + expiresIn * 1000 };
	}
	throw new Error(describeLwaFailure(statusCode, body as LwaErrorBody));
}

/** A message that says what to fix, and never echoes a secret. */
export function describeLwaFailure(status: number, body: LwaErrorBody): string {
	switch (body.error) {
		case 'invalid_grant':
			return 'Amazon Login with Amazon refused the refresh token (invalid_grant): it has expired, was revoked, or belongs to another app. Re-authorize the app in Seller Central (Apps → Manage your apps) and paste the new refresh token into the credential.';
		case 'invalid_client':
			return 'Amazon Login with Amazon refused the client ID or client secret (invalid_client). LWA client secrets must be rotated every 180 days: copy the current secret from the Developer Central app page.';
		case 'unauthorized_client':
			return 'Amazon Login with Amazon says this app may not use the refresh-token grant (unauthorized_client). Check that the refresh token was issued to this app.';
		default:
			return `Amazon Login with Amazon token exchange failed with HTTP ${status}${body.error ? ` (${body.error})` : ''}. Check the region, the LWA token URL and the app credentials.`;
	}
}
