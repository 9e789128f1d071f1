import { createServer } from 'node:http';
import type { Admin } from 'kafkajs';
import { partitionLags } from '../clients/lag';

/**
 * The app's own Prometheus endpoint: records handled and the consumer group's lag per partition,
 * measured from the cluster's offsets (end offset minus committed offset).
 */
export class AppMetrics {
  private records = 0;
  private failures = 0;
  private lag = new Map<number, number>();

  constructor(private readonly labels: { app: string; group: string; topic: string }) {}

  recorded(n: number) {
    this.records += n;
  }

  failed(n = 1) {
    this.failures += n;
  }

  async refreshLag(admin: Admin) {
    this.lag = await partitionLags(admin, this.labels.group, this.labels.topic);
  }

  render(): string {
    const l = `app="${this.labels.app}",group="${this.labels.group}",topic="${this.labels.topic}"`;
    const lines = [
      '# TYPE kafka_lab_app_records_total counter',
      `kafka_lab_app_records_total{${l}} ${this.records}`,
      '# TYPE kafka_lab_app_failures_total counter',
      `kafka_lab_app_failures_total{${l}} ${this.failures}`,
      '# TYPE kafka_lab_consumergroup_lag gauge',
      ...[...this.lag].map(([p, v]) => `kafka_lab_consumergroup_lag{${l},partition="${p}"} ${v}`),
    ];
    return `${lines.join('\n')}\n`;
  }

  /** On the host network (next to a target) the app listens on loopback only. */
  serve(port: number, host: string) {
    createServer((req, res) => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(this.render());
      } else {
        res.writeHead(404).end();
      }
    }).listen(port, host);
  }
}
