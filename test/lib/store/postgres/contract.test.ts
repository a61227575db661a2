import { describeStoreContract } from '../contract';
import { openTestPostgresStore, usePostgres } from './helpers';

const postgres = usePostgres();
let schema = '';
let counter = 0;

describeStoreContract('PostgreSQL', {
	setUp: () => {
		schema = `contract_${process.pid}_${++counter}`;
	},
	open: async (settings) => openTestPostgresStore(postgres.target(schema), settings),
	tearDown: async () => {
		await postgres.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
	},
});
