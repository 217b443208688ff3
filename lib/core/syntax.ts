/**
 * The name rules of Kubernetes and Prometheus, written once: every check of a name in a profile,
 * a rule or the metrics catalog tests against these.
 */

/** A Kubernetes DNS label (RFC 1123): namespaces, Secret and Service names, port names. At most 63 characters. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes DNS subdomain (RFC 1123): dot-separated DNS labels, such as a StorageClass name. At most 253 characters. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Prometheus label name (also the name of a metric without colons). */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
