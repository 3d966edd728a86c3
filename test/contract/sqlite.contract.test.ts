import { describeEngineContract } from './engine-contract';
import { sqliteUnderTest } from './sqlite-under-test';

describeEngineContract('SQLite FTS5', sqliteUnderTest());
