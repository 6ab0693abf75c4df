/** Row types of the cluster's own tables (src/cluster). */
import type { Timestamp } from './timestamp.ts';

export interface ClusterLeasesTable {
  name: string;
  holder: string;
  acquired_at: Timestamp;
  expires_at: Timestamp;
}

export interface ClusterTables {
  cluster_leases: ClusterLeasesTable;
}
