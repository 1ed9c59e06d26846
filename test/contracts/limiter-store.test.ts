import { MemoryLimiterStore } from '../../src/state/memory-limiter-store';
import { limiterStoreContract } from './limiter-store';

limiterStoreContract('memory', () => ({ store: new MemoryLimiterStore(), close: () => {} }));
