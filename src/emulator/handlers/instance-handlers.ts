import type { ApiProfile } from '../api-profile.js';
import type { Handler, HandlerRequest, ServiceContext } from '../service-context.js';
import { projectOf } from '../service-context.js';
import type { InstanceState } from '../types.js';
import { page, paging } from '../validate-request.js';

/**
 * The instance lists (dbss-api.md §2). The new v1 and the v2 lists page with `offset`/`limit`
 * (limit 1-1000: the docs disagree between 1000 and 10000, 1000 is the safe reading). The old
 * v1 list returns everything when no paging parameter is given (as a Terraform comment says).
 * Each list answers in the shape of its model in Huawei's current SDK (ListAuditInstancesResponse,
 * ListAuditInstancesNewResponse, ListAuditInstancesLastResponse) unless the profile asks for an
 * older shape (ApiProfile.instanceList).
 */

/** Which list: the old v1 (`dbss/audit/instances`), the new v1, or the v2 ("Last"). */
type ListKind = 'old' | 'new' | 'last';

/** How one list answers: the array's key, renamed bean fields, and the fields its model adds. */
interface ListShape {
  /** The answer's array key. */
  readonly key: 'servers' | 'instances';
  /** Bean fields spelled otherwise in this list: snake_case name to the list's name. */
  readonly renamed: Readonly<Record<string, string>>;
  /** Fields this list's model has beyond the bean's, with fixed plausible values. */
  readonly added: Readonly<Record<string, unknown>>;
}

const CAMEL_ON_OLD_ENDPOINT: Record<string, string> = {
  charge_model: 'chargeModel',
  config_num: 'configNum',
  remain_days: 'remainDays',
  subnet_id: 'subnetId',
  connect_ipv6: 'connectIpv6',
};

function shapeOf(kind: ListKind, profile: ApiProfile): ListShape {
  if (kind === 'old') return { key: 'servers', renamed: profile.instanceList === 'sdk' ? {} : CAMEL_ON_OLD_ENDPOINT, added: {} };
  if (profile.instanceList === 'servers') return { key: 'servers', renamed: {}, added: {} };
  if (profile.instanceList === 'instances') return { key: 'instances', renamed: { id: 'instance_id' }, added: {} };
  // The SDK's ResponseAuditV2 (v1) spells the id instance_id and the IPv6 address connectIpv6;
  // its AuditInstanceBean (v2) keeps the old bean's spellings. Both add supported_feature.
  if (kind === 'new') return { key: 'instances', renamed: { id: 'instance_id', connect_ipv6: 'connectIpv6' }, added: { enterprise_project_id: '0', supported_feature: [] } };
  return { key: 'instances', renamed: {}, added: { supported_feature: [] } };
}

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

function list(ctx: ServiceContext, req: HandlerRequest, kind: ListKind) {
  const project = projectOf(ctx, req.params.project_id ?? '');
  const all = project.instances;
  const old = kind === 'old';
  const unpaged = old && !req.query.has('offset') && !req.query.has('limit');
  const selected = unpaged ? all : page(all, paging(req.query, old ? Number.MAX_SAFE_INTEGER : 1000, old ? Number.MAX_SAFE_INTEGER : 100));
  const shape = shapeOf(kind, ctx.profile);
  const items = selected.map((inst) => {
    const bean = instanceBean(inst, project.region, all.indexOf(inst));
    return { ...Object.fromEntries(Object.entries(bean).map(([k, v]) => [shape.renamed[k] ?? k, v])), ...shape.added };
  });
  return { status: 200, body: { [shape.key]: items, total: all.length } };
}

/** GET /v1/{project_id}/dbss/audit/instances (old; no documented limits). */
export const listInstancesOld: Handler = (ctx, req) => list(ctx, req, 'old');
/** GET /v1/{project_id}/audit/instances. */
export const listInstancesNew: Handler = (ctx, req) => list(ctx, req, 'new');
/** GET /v2/{project_id}/audit/instances. */
export const listInstancesLast: Handler = (ctx, req) => list(ctx, req, 'last');
