export * from './scrape';
export * from './prometheus';
export * from './alertmanager';
export * from './grafana';
export * from './node-exporter';
export * from './kube-state-metrics';
export * from './jaeger';
export * from './exporters';
