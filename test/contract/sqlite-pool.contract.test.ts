/** The embedded engine as the web process runs it: searches answered by worker threads sharing the arrays. */
import { describeEngineContract } from './engine-contract';
import { sqliteUnderTest } from './sqlite-under-test';

describeEngineContract('SQLite FTS5 with search workers', sqliteUnderTest({ searchWorkers: 2 }));
