// Manifests for the schema tests: what a user might write against a Kubernetes 1.34 cluster.

/** Where the example repo keeps the podinfo base manifests. */
export const podinfoBase = 'apps/podinfo/base';

/**
 * A CronJob still on batch/v1beta1 (removed in Kubernetes 1.25); otherwise valid for batch/v1:
 * a schedule and a job template whose pod restarts on failure.
 */
export const removedApiCronJob = `apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: podinfo-cache-warmer
spec:
  schedule: "*/15 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: warm-cache
              image: curlimages/curl:8.11.1
              args: ["-fsS", "http://podinfo:9898/cache/warm"]
`;
