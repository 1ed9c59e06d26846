import { AggregatorRegistry, Counter, Gauge, type PrometheusContentType, Registry } from 'prom-client';

/** Something the primary can ask for its metrics (a worker, through `collect`). */
export type MetricsSource = () => Promise<object[]>;

/**
 * The machine's `/metrics`: every worker's registry gathered as JSON and combined by
 * prom-client's AggregatorRegistry (counters and histograms summed; a gauge as its `aggregator`
 * says), with the primary's own metrics on the workers.
 */
export class MachineMetrics {
  private readonly registry = new Registry();
  readonly restarts: Counter;

  constructor(running: () => number, configured: number) {
    const registers = [this.registry];
    new Gauge({
      name: 'switchyard_workers',
      help: 'Worker processes by state: configured (server.workers) and running (listening now)',
      labelNames: ['state'],
      registers,
      collect() {
        this.set({ state: 'configured' }, configured);
        this.set({ state: 'running' }, running());
      },
    });
    this.restarts = new Counter({
      name: 'switchyard_worker_restarts_total',
      help: 'Workers restarted after they exited without being asked to',
      registers,
    });
  }

  async text(sources: readonly MetricsSource[]): Promise<string> {
    const parts = await Promise.all(sources.map((source) => source().catch(() => [])));
    const aggregated = AggregatorRegistry.aggregate<PrometheusContentType>(
      parts.filter((part) => part.length > 0),
    );
    return Registry.merge([aggregated, this.registry]).metrics();
  }
}
