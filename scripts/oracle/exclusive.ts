/*
 * Fields of which an object may hold only one (a volume's source, a probe's handler, an env
 * var's value or valueFrom, a backend's service or resource, ...), keyed by the OpenAPI name of
 * the object's schema, with a valid value for each. The generator adds each one that is absent
 * to an object that already has another: the API server must reject "may not specify more than
 * 1" where the rule exists, and accept where it does not.
 */
const HANDLERS = {
  exec: { command: ['true'] },
  httpGet: { path: '/healthz', port: 8080 },
  tcpSocket: { port: 8080 },
  grpc: { port: 9000 },
  sleep: { seconds: 5 },
};

export const EXCLUSIVE_FIELDS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'io.k8s.api.core.v1.Volume': {
    emptyDir: {},
    configMap: { name: 'extra' },
    secret: { secretName: 'extra' },
    hostPath: { path: '/tmp' },
    persistentVolumeClaim: { claimName: 'extra' },
  },
  'io.k8s.api.core.v1.Probe': HANDLERS,
  'io.k8s.api.core.v1.LifecycleHandler': HANDLERS,
  'io.k8s.api.core.v1.EnvVar': {
    value: 'x',
    valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
  },
  'io.k8s.api.core.v1.EnvVarSource': {
    fieldRef: { fieldPath: 'metadata.name' },
    secretKeyRef: { name: 's', key: 'k' },
    configMapKeyRef: { name: 'c', key: 'k' },
    resourceFieldRef: { resource: 'limits.cpu' },
  },
  'io.k8s.api.core.v1.EnvFromSource': {
    configMapRef: { name: 'c' },
    secretRef: { name: 's' },
  },
  'io.k8s.api.core.v1.VolumeProjection': {
    configMap: { name: 'c' },
    secret: { name: 's' },
    serviceAccountToken: { path: 'token2' },
  },
  'io.k8s.api.networking.v1.IngressBackend': {
    service: { name: 'other', port: { number: 80 } },
    resource: { apiGroup: 'example.com', kind: 'Bucket', name: 'b' },
  },
  'io.k8s.api.networking.v1.ServiceBackendPort': { name: 'http', number: 80 },
  'io.k8s.api.networking.v1.NetworkPolicyPeer': {
    ipBlock: { cidr: '192.168.0.0/16' },
    podSelector: { matchLabels: { app: 'x' } },
    namespaceSelector: {},
  },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': { minAvailable: 1, maxUnavailable: 1 },
  'io.k8s.api.autoscaling.v2.MetricSpec': {
    resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
    pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
    object: {
      metric: { name: 'hits' },
      describedObject: { apiVersion: 'v1', kind: 'Service', name: 's' },
      target: { type: 'Value', value: '10' },
    },
    external: { metric: { name: 'queue' }, target: { type: 'Value', value: '5' } },
  },
  'io.k8s.api.autoscaling.v2.MetricTarget': {
    averageUtilization: 50,
    averageValue: '10',
    value: '10',
  },
  'io.k8s.api.core.v1.PodSecurityContext': {
    seLinuxOptions: { level: 's0:c123,c456' },
    windowsOptions: { runAsUserName: 'ContainerUser' },
  },
  'io.k8s.api.core.v1.SecurityContext': {
    privileged: true,
    windowsOptions: { runAsUserName: 'ContainerUser' },
  },
  'io.k8s.api.rbac.v1.PolicyRule': {
    nonResourceURLs: ['/metrics'],
    resources: ['pods'],
    resourceNames: ['x'],
    apiGroups: [''],
  },
  'io.k8s.api.core.v1.ServiceSpec': {
    clusterIP: 'None',
    externalName: 'db.example.com',
    loadBalancerClass: 'example.com/lb',
    externalTrafficPolicy: 'Local',
    healthCheckNodePort: 31001,
    sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
    loadBalancerSourceRanges: ['10.0.0.0/8'],
    allocateLoadBalancerNodePorts: false,
    ipFamilies: ['IPv4', 'IPv6'],
    externalIPs: ['192.0.2.1'],
  },
  'io.k8s.api.core.v1.ServicePort': { nodePort: 30123, appProtocol: 'kubernetes.io/h2c' },
  'io.k8s.api.batch.v1.JobSpec': {
    completionMode: 'Indexed',
    backoffLimitPerIndex: 1,
    maxFailedIndexes: 1,
    successPolicy: { rules: [{ succeededCount: 1 }] },
    podReplacementPolicy: 'Failed',
    manualSelector: true,
  },
  'io.k8s.api.core.v1.Toleration': { tolerationSeconds: 60, value: 'x' },
  'io.k8s.api.core.v1.ResourceRequirements': {
    claims: [{ name: 'gpu' }],
  },
  'io.k8s.api.core.v1.Container': {
    restartPolicy: 'Always',
    lifecycle: { preStop: { sleep: { seconds: 1 } } },
    livenessProbe: { tcpSocket: { port: 80 } },
    startupProbe: { tcpSocket: { port: 80 } },
    readinessProbe: { tcpSocket: { port: 80 } },
  },
  'io.k8s.api.core.v1.PodSpec': {
    hostNetwork: true,
    hostIPC: true,
    shareProcessNamespace: true,
    nodeName: 'node-1',
    os: { name: 'windows' },
    schedulingGates: [{ name: 'example.com/gate' }],
    overhead: { cpu: '10m' },
    preemptionPolicy: 'Never',
    setHostnameAsFQDN: true,
    hostUsers: false,
  },
  'io.k8s.api.apps.v1.DeploymentStrategy': { rollingUpdate: { maxSurge: 1 } },
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': { rollingUpdate: { partition: 1 } },
};
