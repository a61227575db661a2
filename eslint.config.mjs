import communityNodes from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.n8n-local/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
	{
		files: ['**/*.ts'],
		extends: [...tseslint.configs.recommended],
		languageOptions: { parserOptions: { project: './tsconfig.json' } },
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['package.json'],
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'], project: null },
		},
	},
	// This package is for self-hosted n8n (it needs the Drive and Notion SDKs and
	// SQLite), so it uses n8n's rule set for packages not meant for n8n Cloud.
	{
		...communityNodes.configs.recommendedWithoutN8nCloudSupport,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
	},
	{
		files: ['package.json'],
		rules: {
			// Runtime dependencies are the point of a non-Cloud package: the Drive
			// client, the Notion client and the SQLite driver.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
);
