// npm run generate:rbac: derives each Configuration's aggregated ClusterRole from what its
// Compositions compose and require (every example rendered through the pipeline) and writes
// package/rbac/<configuration>.yaml; and the roles of its namespace users, from apis/, to
// package/rbac/<configuration>-tenant.yaml. test/render/rbac.test.ts fails when a file is stale.
import { writeFile } from 'node:fs/promises';
import { startLocalFunction } from '../render/grpc.js';
import { CONFIGURATIONS } from './packages.js';
import { deriveClusterRole, roleFile } from './rbac/role.js';
import { roleYaml } from './rbac/role-yaml.js';
import { tenantRoleFile, tenantRolesYaml } from './rbac/tenant.js';

const fn = await startLocalFunction();
try {
  for (const configuration of CONFIGURATIONS) {
    const { role } = await deriveClusterRole(configuration, fn.address);
    await writeFile(roleFile(configuration), roleYaml(configuration, role));
    console.log(`wrote ${roleFile(configuration)}`);
    await writeFile(tenantRoleFile(configuration), tenantRolesYaml(configuration));
    console.log(`wrote ${tenantRoleFile(configuration)}`);
  }
} finally {
  await fn.stop();
}
