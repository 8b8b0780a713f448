import type { Handler, HandlerRequest, ServiceContext } from '../service-context.js';
import { projectOf } from '../service-context.js';
import type { InstanceState } from '../types.js';
import { page, paging } from '../validate-request.js';

/**
 * The instance lists (dbss-api.md §2). The new v1 and the v2 lists page with `offset`/`limit`
 * (limit 1-1000: the docs disagree between 1000 and 10000, 1000 is the safe reading). The old
 * v1 list returns everything when no paging parameter is given (as a Terraform comment says)
 * and, like the data Terraform reads from it, spells five fields in camelCase.
 */

const CAMEL_ON_OLD_ENDPOINT: Record<string, string> = {
  charge_model: 'chargeModel',
  config_num: 'configNum',
  remain_days: 'remainDays',
  subnet_id: 'subnetId',
  connect_ipv6: 'connectIpv6',
};

/** An AuditInstanceListBean; fields the model does not track get fixed plausible values. */
function instanceBean(instance: InstanceState, region: string, index: number): Record<string, unknown> {
  const suffix = instance.id.slice(0, 8);
  return {
    id: instance.id,
    name: instance.name,
    resource_id: `res-${instance.id}`,
    status: instance.status,
    task: 'NO_TASK',
    version: '23.02.27.134908',
    new_version: '23.02.27.134908',
    charge_model: 'Period',
    created: instance.created,
    expired: '2099-12-31T00:00:00Z',
    keep_days: '180',
    remain_days: '365',
    effect: 0,
    cpu: 4,
    ram: 16384,
    specification: instance.specification,
    resource_spec_code: `dbss.bypassaudit.${instance.specification.split('.')[1] ?? 'basic'}`,
    database_limit: 6,
    config_num: 0,
    connect_ip: `192.168.${index % 250}.${10 + (index % 200)}`,
    connect_ipv6: '',
    port_id: `port-${suffix}`,
    vpc_id: `vpc-${suffix}`,
    subnet_id: `subnet-${suffix}`,
    security_group_id: `sg-${suffix}`,
    zone: `${region}a`,
    region,
    scene: '',
    comment: '',
  };
}

function list(ctx: ServiceContext, req: HandlerRequest, maxLimit: number, camel: boolean) {
  const project = projectOf(ctx, req.params.project_id ?? '');
  const all = project.instances;
  const unpaged = camel && !req.query.has('offset') && !req.query.has('limit');
  const selected = unpaged ? all : page(all, paging(req.query, maxLimit, camel ? Number.MAX_SAFE_INTEGER : 100));
  const servers = selected.map((inst) => {
    const bean = instanceBean(inst, project.region, all.indexOf(inst));
    if (!camel) return bean;
    return Object.fromEntries(Object.entries(bean).map(([k, v]) => [CAMEL_ON_OLD_ENDPOINT[k] ?? k, v]));
  });
  // The Node.js SDK 3.1.204 models the new list as `instances` keyed `instance_id` (profile option).
  if (!camel && ctx.profile.instanceList === 'instances') {
    const instances = servers.map(({ id, ...rest }) => ({ instance_id: id, ...rest }));
    return { status: 200, body: { instances, total: all.length } };
  }
  return { status: 200, body: { servers, total: all.length } };
}

/** GET /v1/{project_id}/dbss/audit/instances (old; no documented limits). */
export const listInstancesOld: Handler = (ctx, req) => list(ctx, req, Number.MAX_SAFE_INTEGER, true);
/** GET /v1/{project_id}/audit/instances. */
export const listInstancesNew: Handler = (ctx, req) => list(ctx, req, 1000, false);
/** GET /v2/{project_id}/audit/instances. */
export const listInstancesLast: Handler = (ctx, req) => list(ctx, req, 1000, false);
