// The import benchmark (npm run bench): 1,000 sandbox orders through Amazon Order Trigger and
// Create Shopify Order in the real engine, printing calls, cost points and rate-limit ceilings.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	roots: ['<rootDir>/test/bench'],
	testMatch: ['**/*.bench.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	testTimeout: 15 * 60 * 1000,
};
