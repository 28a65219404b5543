/**
 * The Amazon credential and client, inside the real n8n engine, against the sandbox: LWA exchange,
 * token reuse and renewal, retries, clear errors without secrets, the credential test.
 */
import type { IWorkflowBase } from 'n8n-workflow';

import { resetAmazonBuckets } from '../../nodes/shared/transport/amazon/tokenBucket';
import { useClock } from '../../nodes/shared/transport/clock';
import { errorOf, outputOf, runWorkflow, testCredential } from '../harness/engine';
import { FakeClock } from '../harness/fakeClock';
import { createEngine, sandboxCredentialStore } from '../harness/pack';
import { probeWorkflow } from '../harness/probes';
import type { Sandbox } from '../harness/sandbox';
import { startTestSandbox } from '../harness/sandbox';

let sb: Sandbox;

beforeAll(async () => {
	sb = await startTestSandbox({ clockScale: 1 });
});
afterAll(async () => await sb.stop());
beforeEach(() => {
	resetAmazonBuckets();
	sb.amazon.control.faults.clear();
	useClock();
});

const participations = probeWorkflow('amazonProbe', 'getMarketplaceParticipations') as unknown as IWorkflowBase;

function secretsOf(store: ReturnType<typeof sandboxCredentialStore>): string[] {
	const amazon = store.amazonSellingPartnerApi;
	return [amazon.clientSecret, amazon.refreshToken, amazon.accessToken].map(String).filter((s) => s.length > 8);
}

describe('Amazon Selling Partner API credential in the engine', () => {
	it('exchanges the refresh token once and reuses the access token across executions', async () => {
		const store = sandboxCredentialStore(sb);
		const engine = createEngine(store);
		const before = sb.amazon.control.state().tokenRequests;

		const first = await runWorkflow(participations, engine);
		const second = await runWorkflow(participations, engine);

		expect(outputOf(first.run, 'Probe')[0].result).toEqual(expect.arrayContaining([expect.objectContaining({ marketplace: expect.anything() })]));
		expect(outputOf(second.run, 'Probe')).toHaveLength(1);
		expect(sb.amazon.control.state().tokenRequests - before).toBe(1);
		expect(engine.credentialsHelper.preAuthCalls).toEqual([{ type: 'amazonSellingPartnerApi', expired: false }]);
		expect(String(store.amazonSellingPartnerApi.accessToken)).toMatch(/^Atza\|/);
		const expiresIn = Number(store.amazonSellingPartnerApi.accessTokenExpiresAt) - Date.now();
		expect(expiresIn).toBeGreaterThan(3500_000);
		expect(expiresIn).toBeLessThanOrEqual(3600_000);
	});

	it('re-exchanges the token after Amazon rejects it as expired, and retries the call once', async () => {
		const engine = createEngine(sandboxCredentialStore(sb));
		await runWorkflow(participations, engine);
		const before = sb.amazon.control.state().tokenRequests;
		sb.amazon.control.expireAccessTokens();

		const { run } = await runWorkflow(participations, engine);

		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run, 'Probe')).toHaveLength(1);
		expect(sb.amazon.control.state().tokenRequests - before).toBe(1);
		expect(engine.credentialsHelper.preAuthCalls.at(-1)).toEqual({ type: 'amazonSellingPartnerApi', expired: true });
	});

	it('renews the token before it expires instead of spending a rejected call', async () => {
		const store = sandboxCredentialStore(sb);
		const engine = createEngine(store);
		await runWorkflow(participations, engine);
		store.amazonSellingPartnerApi.accessTokenExpiresAt = Date.now() + 60_000; // inside the 5-minute margin
		const before = sb.amazon.control.state().tokenRequests;
		const rejectedBefore = sb.amazon.control.stats().statuses['403'] ?? 0;

		const { run } = await runWorkflow(participations, engine);

		expect(errorOf(run)).toBeUndefined();
		expect(sb.amazon.control.state().tokenRequests - before).toBe(1);
		expect(sb.amazon.control.stats().statuses['403'] ?? 0).toBe(rejectedBefore);
		expect(Number(store.amazonSellingPartnerApi.accessTokenExpiresAt)).toBeGreaterThan(Date.now() + 3500_000);
	});

	it('explains a revoked refresh token and never shows a secret', async () => {
		const store = sandboxCredentialStore(sb);
		const engine = createEngine(store);
		sb.amazon.control.revokeRefreshToken();
		try {
			const { run } = await runWorkflow(participations, engine);
			const error = errorOf(run);
			expect(error?.message).toMatch(/^Amazon Login with Amazon refused the refresh token \(invalid_grant\).*Re-authorize the app/);
			const serialised = JSON.stringify(error);
			for (const secret of secretsOf(store)) expect(serialised).not.toContain(secret);
		} finally {
			sb.amazon.control.restoreRefreshToken();
		}
	});

	it('retries 429 and 503 with backoff, then succeeds', async () => {
		const clock = new FakeClock();
		useClock(clock);
		const engine = createEngine(sandboxCredentialStore(sb));
		sb.amazon.control.faults.set({ operation: 'getMarketplaceParticipations', kind: '503', count: 2 });
		sb.amazon.control.faults.set({ operation: 'getMarketplaceParticipations', kind: '429', count: 1 });
		const callsBefore = sb.amazon.control.stats().calls.getMarketplaceParticipations ?? 0;

		const { run } = await runWorkflow(participations, engine);

		expect(errorOf(run)).toBeUndefined();
		expect((sb.amazon.control.stats().calls.getMarketplaceParticipations ?? 0) - callsBefore).toBe(4);
		expect(clock.sleeps.length).toBeGreaterThanOrEqual(3); // one backoff per failed attempt
	});

	it('gives up on a persistent 503 with a clear error naming the operation', async () => {
		useClock(new FakeClock());
		const store = sandboxCredentialStore(sb);
		const engine = createEngine(store);
		sb.amazon.control.faults.set({ operation: 'getMarketplaceParticipations', kind: '503' });

		const { run } = await runWorkflow(participations, engine);

		const error = errorOf(run);
		expect(error?.message).toMatch(/Amazon getMarketplaceParticipations failed with HTTP 503/);
		expect(error?.description).toMatch(/temporary failure/);
		for (const secret of secretsOf(store)) expect(JSON.stringify(error)).not.toContain(secret);
	});

	it('names the 2-minute rule when Amazon refuses a createdBefore that is too recent', async () => {
		const engine = createEngine(sandboxCredentialStore(sb));
		const now = Date.now();
		const search = probeWorkflow('amazonProbe', 'searchOrders', {
			createdAfter: new Date(now - 3600_000).toISOString().replace(/\.\d{3}/, ''),
			createdBefore: new Date(now - 10_000).toISOString().replace(/\.\d{3}/, ''),
			marketplaceIds: ['ATVPDKIKX0DER'],
		}) as unknown as IWorkflowBase;

		const { run } = await runWorkflow(search, engine);

		const error = errorOf(run);
		expect(error?.message).toMatch(/searchOrders failed with HTTP 400\. InvalidInput/);
		expect(error?.description).toMatch(/at least 2 minutes before now/);
	});

	it('refuses marketplaces that the credential region does not serve', async () => {
		const store = sandboxCredentialStore(sb);
		store.amazonSellingPartnerApi.marketplaceIds = ['ATVPDKIKX0DER', 'A1PA6795UKMFR9'];
		const { run } = await runWorkflow(participations, createEngine(store));
		expect(errorOf(run)?.message).toMatch(/Germany \(A1PA6795UKMFR9\) belongs to the Europe region/);
	});
});

describe('Amazon credential test (as n8n runs it)', () => {
	it('passes with valid credentials', async () => {
		const result = await testCredential(createEngine(sandboxCredentialStore(sb)), 'amazonSellingPartnerApi');
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	it('passes when Amazon throttles the test call, because the login worked', async () => {
		sb.amazon.control.faults.set({ operation: 'getMarketplaceParticipations', kind: '429', count: 1 });
		const result = await testCredential(createEngine(sandboxCredentialStore(sb)), 'amazonSellingPartnerApi');
		expect(result.status).toBe('OK');
		expect(sb.amazon.control.stats().faultsInjected['getMarketplaceParticipations:429']).toBeGreaterThanOrEqual(1);
	});

	it('fails with the LWA reason when the client secret is wrong', async () => {
		const store = sandboxCredentialStore(sb);
		store.amazonSellingPartnerApi.clientSecret = ['amzn1', 'oa2-cs', 'v1', 'wrong-secret'].join('.');
		const result = await testCredential(createEngine(store), 'amazonSellingPartnerApi');
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/invalid_client.*rotated every 180 days/);
		expect(result.message).not.toContain('wrong-secret');
	});
});
