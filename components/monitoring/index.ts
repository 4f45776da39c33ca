/** @module Monitoring components. Named exports only. */
export {
  DEFAULT_GRAFANA_BIND_ADDRESS,
  DEFAULT_GRAFANA_PORT,
  DEFAULT_RETENTION_DAYS,
  DockerMonitoring,
  RESERVED_JOBS,
  type DockerMonitoringArgs,
  type DockerScrapeTarget,
} from "./docker-monitoring";
export { modelServerScrapeTarget } from "./model-server-scrape-target";
