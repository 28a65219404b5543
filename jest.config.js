const path = require('node:path');
const os = require('node:os');
const { mkdirSync } = require('node:fs');

// n8n-core's InstanceSettings writes <N8N_USER_FOLDER>/.n8n/config when first resolved: keep tests
// hermetic. Done here, in a .js file, because `n8n-node lint` applies n8n Cloud's rules to every
// .ts file, tests included, and they forbid `process`, `__dirname` and node:fs.
const home = path.join(__dirname, '.n8n-test-home');
mkdirSync(home, { recursive: true });
process.env.N8N_USER_FOLDER = home;
process.env.N8N_ENCRYPTION_KEY ??= 'test-encryption-key';
process.env.TZ ??= 'UTC';

/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	cacheDirectory: path.join(os.tmpdir(), 'jest-n8n-nodes-amazon-shopify'),
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts', '**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testTimeout: 60000,
	globalSetup: '<rootDir>/test/contract/globalSetup.js',
	globalTeardown: '<rootDir>/test/contract/globalTeardown.js',
};
