import { startAmazonSandbox } from '../../sandbox/amazon';
import { createTestClient } from '../../sandbox/amazon/testClient';

type Sandbox = Awaited<ReturnType<typeof startAmazonSandbox>>;

const UNAUTHORIZED_INVALID = {
	errors: [
		{
			code: 'Unauthorized',
			message: 'Access to requested resource is denied.',
			details: 'The access token you provided is revoked, malformed or invalid.',
		},
	],
};

describe('Amazon sandbox: LWA and access tokens', () => {
	let sb: Sandbox;
	let client: ReturnType<typeof createTestClient>;

	beforeAll(async () => {
		sb = await startAmazonSandbox({ seed: 1 });
		client = createTestClient(sb);
	});
	afterAll(async () => sb.stop());
	beforeEach(() => sb.control.reset({ tokens: true }));

	const form = (overrides: Record<string, string | undefined> = {}) => {
		const base: Record<string, string | undefined> = {
			grant_type: 'refresh_token',
			refresh_token: sb.credentials.refreshToken,
			client_id: sb.credentials.clientId,
			client_secret: sb.credentials.clientSecret,
			...overrides,
		};
		return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as Record<string, string>;
	};

	it('exposes loopback endpoints and NA credentials', () => {
		expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(sb.lwaTokenUrl).toBe(`${sb.url}/auth/o2/token`);
		expect(sb.credentials).toMatchObject({ region: 'na', marketplaceIds: ['ATVPDKIKX0DER'] });
		expect(sb.credentials.clientId).toMatch(/^amzn1\.application-oa2-client\./);
		expect(sb.credentials.refreshToken).toMatch(/^Atzr\|/);
		expect(sb.credentials.sellerId).toMatch(/^A[A-Z0-9]{12}$/);
	});

	it('exchanges a refresh token for an Atza| access token valid 3600 s and counts requests', async () => {
		const r = await client.lwa(form());
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ access_token: expect.stringMatching(/^Atza\|/), refresh_token: sb.credentials.refreshToken, token_type: 'bearer', expires_in: 3600 });
		await client.lwa(form());
		expect(sb.control.state().tokenRequests).toBe(2);
		expect(sb.control.stats()).toMatchObject({ tokenRequests: 2, tokensIssued: 2 });
		const recorded = sb.control.recordedRequests({ operation: 'lwaToken' });
		expect(recorded).toHaveLength(2);
		expect(JSON.stringify(recorded)).not.toContain(sb.credentials.clientSecret);
		expect(JSON.stringify(recorded)).not.toContain(sb.credentials.refreshToken);
	});

	it('answers invalid_grant for a wrong or revoked refresh token', async () => {
		const wrong = await client.lwa(form({ refresh_token: 'Atzr|nope' }));
		expect(wrong.status).toBe(400);
		expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' });
		sb.control.revokeRefreshToken();
		const revoked = await client.lwa(form());
		expect(revoked.status).toBe(400);
		expect(revoked.body.error).toBe('invalid_grant');
		sb.control.restoreRefreshToken();
		expect((await client.lwa(form())).status).toBe(200);
	});

	it('answers 401 invalid_client for a bad client id or secret', async () => {
		for (const bad of [{ client_id: 'amzn1.application-oa2-client.nope' }, { client_secret: 'wrong' }]) {
			const r = await client.lwa(form(bad));
			expect(r.status).toBe(401);
			expect(r.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
		}
	});

	it('answers unsupported_grant_type and invalid_request', async () => {
		const grant = await client.lwa(form({ grant_type: 'password' }));
		expect(grant.status).toBe(400);
		expect(grant.body.error).toBe('unsupported_grant_type');

		const missing = await client.lwa(form({ client_secret: undefined }));
		expect(missing.status).toBe(400);
		expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'The request is missing a required parameter : client_secret' });

		const json = await client.lwa(JSON.stringify(form()), 'application/json');
		expect(json.status).toBe(400);
		expect(json.body.error).toBe('invalid_request');
		expect(json.body.error_description).toContain('application/x-www-form-urlencoded');
		expect(sb.control.state().tokenRequests).toBe(3);
		expect(sb.control.stats().tokensIssued).toBe(0);
	});

	it('issues grantless tokens for the notifications scope, which SP-API order calls refuse', async () => {
		const r = await client.lwa({ grant_type: 'client_credentials', scope: 'sellingpartnerapi::notifications', client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret });
		expect(r.status).toBe(200);
		expect(r.body.scope).toBe('sellingpartnerapi::notifications');
		expect(r.body.refresh_token).toBeUndefined();
		const call = await client.request('GET', '/sellers/v1/marketplaceParticipations', { token: r.body.access_token });
		expect(call.status).toBe(403);
	});

	it('answers 403 Unauthorized without x-amzn-RateLimit-Limit for a missing or unknown token', async () => {
		const missing = await client.request('GET', '/sellers/v1/marketplaceParticipations', { token: false });
		expect(missing.status).toBe(403);
		expect(missing.body).toEqual(UNAUTHORIZED_INVALID);
		expect(missing.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
		expect(missing.headers.get('x-amzn-ratelimit-limit')).toBeNull();

		const unknown = await client.request('GET', '/sellers/v1/marketplaceParticipations', { token: 'Atza|forged' });
		expect(unknown.status).toBe(403);
		expect(unknown.body).toEqual(UNAUTHORIZED_INVALID);
	});

	it('answers 403 "has expired" once the token is expired, and a new exchange fixes it', async () => {
		const token = await client.newToken();
		expect((await client.request('GET', '/sellers/v1/marketplaceParticipations', { token })).status).toBe(200);
		sb.control.expireAccessTokens();
		const expired = await client.request('GET', '/sellers/v1/marketplaceParticipations', { token });
		expect(expired.status).toBe(403);
		expect(expired.body.errors[0]).toEqual({
			code: 'Unauthorized',
			message: 'Access to requested resource is denied.',
			details: 'The access token you provided has expired.',
		});
		const fresh = await client.newToken();
		expect((await client.request('GET', '/sellers/v1/marketplaceParticipations', { token: fresh })).status).toBe(200);
	});

	it('expires access tokens after 3600 s of sandbox time', async () => {
		const token = await client.newToken();
		sb.control.advanceTime(3599 * 1000);
		expect((await client.request('GET', '/sellers/v1/marketplaceParticipations', { token })).status).toBe(200);
		sb.control.advanceTime(1000);
		const r = await client.request('GET', '/sellers/v1/marketplaceParticipations', { token });
		expect(r.status).toBe(403);
		expect(r.body.errors[0].details).toBe('The access token you provided has expired.');
	});

	it('keeps a revoked refresh token from minting tokens but lets issued access tokens live', async () => {
		const token = await client.newToken();
		sb.control.revokeRefreshToken();
		expect((await client.request('GET', '/sellers/v1/marketplaceParticipations', { token })).status).toBe(200);
		await expect(client.newToken()).rejects.toThrow(/invalid_grant/);
	});

	it('answers getMarketplaceParticipations with the rate header', async () => {
		await client.newToken();
		const r = await client.get('/sellers/v1/marketplaceParticipations');
		expect(r.status).toBe(200);
		expect(r.headers.get('x-amzn-ratelimit-limit')).toBe('0.016');
		expect(r.body.payload.map((p: { marketplace: { countryCode: string } }) => p.marketplace.countryCode).sort()).toEqual(['CA', 'DE', 'GB', 'JP', 'US']);
	});

	it('answers unknown paths with 404 in the SP-API error shape', async () => {
		await client.newToken();
		const r = await client.get('/orders/2099-01-01/orders');
		expect(r.status).toBe(404);
		expect(r.body.errors[0]).toMatchObject({ code: 'NotFound' });
		expect(r.headers.get('x-amzn-requestid')).toBeTruthy();
		const wrongMethod = await client.request('DELETE', '/orders/2026-01-01/orders');
		expect(wrongMethod.status).toBe(404);
		expect(wrongMethod.body.errors[0].details).toContain('GET');
	});
});
