/**
 * A tiny Prometheus registry: counters, a histogram and gauges read at scrape time, rendered in
 * the text exposition format at /metrics. Other collector parts add their gauges through
 * `app.metrics.gauge(...)` (e.g. open and overdue tickets).
 */

type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels | undefined) => {
  const entries = Object.entries(labels ?? {});
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
};

interface Metric {
  render(): string[] | Promise<string[]>;
}

export class Counter implements Metric {
  private readonly values = new Map<string, { labels: Labels | undefined; value: number }>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels?: Labels, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }
  get(labels?: Labels): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.values.size === 0) lines.push(`${this.name} 0`);
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines;
  }
}

export class Histogram implements Metric {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) this.counts[i]!++;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i]}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines;
  }
}

export type GaugeReading = number | { labels: Labels; value: number }[];

export class Gauge implements Metric {
  constructor(readonly name: string, readonly help: string, private readonly read: () => GaugeReading | Promise<GaugeReading>) {}
  async render(): Promise<string[]> {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    const reading = await this.read();
    if (typeof reading === 'number') lines.push(`${this.name} ${reading}`);
    else for (const { labels, value } of reading) lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines;
  }
}

/**
 * Who may read a figure. `collector`: about the collector's own work (ingest, latency, retention),
 * shown to anyone. `tenant`: about customers' data (their tickets, their devices), shown only to a
 * global admin token: anonymous /metrics must not tell one customer another's ticket counts.
 */
export type MetricAudience = 'collector' | 'tenant';

export class MetricsRegistry {
  private readonly metrics = new Map<string, { metric: Metric; audience: MetricAudience }>();

  private add<M extends Metric>(name: string, metric: M, audience: MetricAudience = 'collector'): M {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`bad metric name ${name}`);
    if (this.metrics.has(name)) throw new Error(`metric ${name} registered twice`);
    this.metrics.set(name, { metric, audience });
    return metric;
  }

  counter(name: string, help: string): Counter {
    return this.add(name, new Counter(name, help));
  }
  histogram(name: string, help: string, buckets: number[]): Histogram {
    return this.add(name, new Histogram(name, help, [...buckets].sort((a, b) => a - b)));
  }
  /** A gauge computed when scraped (e.g. a COUNT query); `tenant` when it counts customers' data. */
  gauge(name: string, help: string, read: () => GaugeReading | Promise<GaugeReading>, audience: MetricAudience = 'collector'): Gauge {
    return this.add(name, new Gauge(name, help, read), audience);
  }

  /** The exposition text; tenant figures only when asked for (a global admin's scrape). */
  async render(options: { tenant?: boolean } = {}): Promise<string> {
    const lines: string[] = [];
    for (const { metric, audience } of this.metrics.values()) if (audience === 'collector' || options.tenant) lines.push(...(await metric.render()));
    return `${lines.join('\n')}\n`;
  }
}

/** The collector core's own metrics. */
export function coreMetrics(registry: MetricsRegistry) {
  return {
    reportsIngested: registry.counter('xunjian_reports_ingested_total', 'Reports stored (duplicates not counted)'),
    reportsDuplicate: registry.counter('xunjian_reports_duplicate_total', 'Reports acknowledged as already stored'),
    measurementsIngested: registry.counter('xunjian_measurements_ingested_total', 'Measurements stored'),
    reportsRejected: registry.counter('xunjian_reports_rejected_total', 'Reports refused, by reason (error code)'),
    heartbeats: registry.counter('xunjian_heartbeats_total', 'Agent heartbeats received'),
    deviceTextStripped: registry.counter(
      'xunjian_device_text_stripped_total',
      'Strings of stored reports from which control/bidi characters of the device output were removed (each flagged in the record)',
    ),
    ingestSeconds: registry.histogram(
      'xunjian_ingest_duration_seconds',
      'Time to evaluate and commit one report',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ),
  };
}
export type CoreMetrics = ReturnType<typeof coreMetrics>;
