import { MemoryConcurrencyStore } from '../../src/state/memory-concurrency-store';
import { concurrencyStoreContract } from './concurrency-store';

concurrencyStoreContract('memory', () => ({ store: new MemoryConcurrencyStore(), close: () => {} }));
