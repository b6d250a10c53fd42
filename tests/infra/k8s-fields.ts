import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IDeploymentSpec } from 'kubernetes-models/apps/v1/DeploymentSpec';

type IObjectMeta = NonNullable<IDeployment['metadata']>;

/**
 * The Kubernetes schemas accept unknown fields (the API server would drop them silently), so a
 * misspelt `readinesProbe` would pass. These tables list every field of the objects we write by
 * hand; each is typed `Record<keyof I..., true>`, so the compiler checks them against the
 * models' own types: a field missing here, or one that does not exist, is a type error.
 */

export const OBJECT_META: Record<keyof IObjectMeta, true> = {
  annotations: true,
  creationTimestamp: true,
  deletionGracePeriodSeconds: true,
  deletionTimestamp: true,
  finalizers: true,
  generateName: true,
  generation: true,
  labels: true,
  managedFields: true,
  name: true,
  namespace: true,
  ownerReferences: true,
  resourceVersion: true,
  selfLink: true,
  uid: true,
};

export const DEPLOYMENT_SPEC: Record<keyof IDeploymentSpec, true> = {
  minReadySeconds: true,
  paused: true,
  progressDeadlineSeconds: true,
  replicas: true,
  revisionHistoryLimit: true,
  selector: true,
  strategy: true,
  template: true,
};

export const POD_SPEC: Record<keyof IPodSpec, true> = {
  activeDeadlineSeconds: true,
  affinity: true,
  automountServiceAccountToken: true,
  containers: true,
  dnsConfig: true,
  dnsPolicy: true,
  enableServiceLinks: true,
  ephemeralContainers: true,
  hostAliases: true,
  hostIPC: true,
  hostNetwork: true,
  hostPID: true,
  hostUsers: true,
  hostname: true,
  imagePullSecrets: true,
  initContainers: true,
  nodeName: true,
  nodeSelector: true,
  os: true,
  overhead: true,
  preemptionPolicy: true,
  priority: true,
  priorityClassName: true,
  readinessGates: true,
  resourceClaims: true,
  resources: true,
  restartPolicy: true,
  runtimeClassName: true,
  schedulerName: true,
  schedulingGates: true,
  securityContext: true,
  serviceAccount: true,
  serviceAccountName: true,
  setHostnameAsFQDN: true,
  shareProcessNamespace: true,
  subdomain: true,
  terminationGracePeriodSeconds: true,
  tolerations: true,
  topologySpreadConstraints: true,
  volumes: true,
};

export const CONTAINER: Record<keyof IContainer, true> = {
  args: true,
  command: true,
  env: true,
  envFrom: true,
  image: true,
  imagePullPolicy: true,
  lifecycle: true,
  livenessProbe: true,
  name: true,
  ports: true,
  readinessProbe: true,
  resizePolicy: true,
  resources: true,
  restartPolicy: true,
  securityContext: true,
  startupProbe: true,
  stdin: true,
  stdinOnce: true,
  terminationMessagePath: true,
  terminationMessagePolicy: true,
  tty: true,
  volumeDevices: true,
  volumeMounts: true,
  workingDir: true,
};

export const PROBE: Record<keyof IProbe, true> = {
  exec: true,
  failureThreshold: true,
  grpc: true,
  httpGet: true,
  initialDelaySeconds: true,
  periodSeconds: true,
  successThreshold: true,
  tcpSocket: true,
  terminationGracePeriodSeconds: true,
  timeoutSeconds: true,
};

/** Keys of `obj` that `fields` does not know. */
export function unknownKeys(obj: unknown, fields: Record<string, true>): string[] {
  if (!obj || typeof obj !== 'object') return [];
  return Object.keys(obj).filter((k) => !(k in fields));
}
