export * from './types';
export * from './common';
export * from './postgres-exporter';
export * from './redis-exporter';
export * from './kafka-exporter';
export * from './blackbox-exporter';
export * from './influxdb';
export * from './dependencies';
