/**
 * Loads this package the way n8n does: every node and credential listed in package.json's "n8n"
 * attribute, registered under "<package name>.<node name>".
 */
import type { ICredentialDataDecryptedObject, ICredentialType, INodeType } from 'n8n-workflow';

import pkg from '../../package.json';
import type { Engine } from './engine';
import { TestCredentialsHelper, TestNodeTypes } from './engine';
import { AmazonProbe, ShopifyProbe } from './probes';

export const PACKAGE_NAME = pkg.name;

function loadClasses<T>(distPaths: string[]): T[] {
	return distPaths.map((distPath) => {
		const source = `../../${distPath.replace(/^dist\//, '').replace(/\.js$/, '')}`;
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(source) as Record<string, new () => T>;
		const Class = Object.values(mod).find((value) => typeof value === 'function');
		if (!Class) throw new Error(`${source} exports no class`);
		return new Class();
	});
}

export function loadNodeTypes(): Record<string, INodeType> {
	const nodes = loadClasses<INodeType>(pkg.n8n.nodes);
	return Object.fromEntries(nodes.map((node) => [`${PACKAGE_NAME}.${node.description.name}`, node]));
}

export function loadCredentialTypes(): Record<string, ICredentialType> {
	const credentials = loadClasses<ICredentialType>(pkg.n8n.credentials);
	return Object.fromEntries(credentials.map((credential) => [credential.name, credential]));
}

export function createEngine(store: Record<string, ICredentialDataDecryptedObject>): Engine {
	return {
		nodeTypes: new TestNodeTypes({ ...loadNodeTypes(), 'test.amazonProbe': new AmazonProbe(), 'test.shopifyProbe': new ShopifyProbe() }),
		credentialsHelper: new TestCredentialsHelper(loadCredentialTypes(), store),
	};
}

export interface SandboxEndpoints {
	amazon: {
		url: string;
		lwaTokenUrl: string;
		credentials: { clientId: string; clientSecret: string; refreshToken: string; sellerId: string; region?: string; marketplaceIds?: string[] };
	};
	shopify: {
		url: string;
		credentials: { shopDomain: string; accessToken: string; apiSecretKey: string; clientId: string; clientSecret: string };
	};
}

/** Credentials as a user would fill them in, pointing at the sandbox through the custom endpoints. */
export function sandboxCredentialStore(
	sandbox: SandboxEndpoints,
	shopifyAuth: 'clientCredentials' | 'accessToken' = 'clientCredentials',
): Record<string, ICredentialDataDecryptedObject> {
	const amazon = sandbox.amazon.credentials;
	const shopify = sandbox.shopify.credentials;
	return {
		amazonSellingPartnerApi: {
			clientId: amazon.clientId,
			clientSecret: amazon.clientSecret,
			refreshToken: amazon.refreshToken,
			region: amazon.region ?? 'na',
			environment: 'production',
			sellerId: amazon.sellerId,
			marketplaceIds: amazon.marketplaceIds ?? ['ATVPDKIKX0DER'],
			useCustomEndpoints: true,
			spApiBaseUrl: sandbox.amazon.url,
			lwaTokenUrl: sandbox.amazon.lwaTokenUrl,
			accessToken: '',
			accessTokenExpiresAt: 0,
		},
		shopifyAdminApi: {
			shopDomain: shopify.shopDomain,
			authentication: shopifyAuth,
			clientId: shopify.clientId,
			clientSecret: shopify.clientSecret,
			accessToken: shopify.accessToken,
			apiSecretKey: shopify.apiSecretKey,
			apiVersion: '2026-10',
			useCustomEndpoint: true,
			adminBaseUrl: sandbox.shopify.url,
			sessionToken: '',
			sessionTokenExpiresAt: 0,
		},
	};
}
