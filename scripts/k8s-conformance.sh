#!/usr/bin/env bash
# Runs the session, pool and job suites against the real Kubernetes cluster of KUBECONFIG (or ~/.kube/config), as they run
# against Docker and the stand-in API server. Not part of .ci/run: these machines have no cluster. See docs/kubernetes.md.
#
# kind on a laptop:
#   kind create cluster --name pydock
#   bash scripts/images.sh                                   # builds pydock-local/python:full and :bare
#   kind load docker-image pydock-local/python:full pydock-local/python:bare --name pydock
#   KUBECONFIG=<(kind get kubeconfig --name pydock) bash scripts/k8s-conformance.sh   # or export a file
set -euo pipefail
cd "$(dirname "$0")/.."

NAMESPACE=${PYDOCK_K8S_NAMESPACE:-pydock-test}
CLAIM=pydock-flags
say() { echo "k8s-conformance: $*"; }
command -v kubectl >/dev/null || { echo "k8s-conformance: kubectl is needed (it creates the namespace and a claim)" >&2; exit 2; }

# A copy of the kubeconfig whose current context uses the test namespace, so nothing else in the cluster is touched.
config=$(mktemp)
trap 'rm -f "$config"' EXIT
kubectl config view --raw --minify >"$config"
KUBECONFIG="$config" kubectl config set-context --current --namespace="$NAMESPACE" >/dev/null
export KUBECONFIG="$config"
say "cluster $(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}'), namespace $NAMESPACE"

kubectl get namespace "$NAMESPACE" >/dev/null 2>&1 || kubectl create namespace "$NAMESPACE" >/dev/null
# The pool's workers share a file through a claim: ReadWriteOnce is enough on one node (kind); a cluster of several
# nodes needs a storage class with ReadWriteMany (PYDOCK_K8S_STORAGE_CLASS).
if ! kubectl get pvc "$CLAIM" >/dev/null 2>&1; then
  kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: $CLAIM}
spec:
  accessModes: [${PYDOCK_K8S_ACCESS_MODE:-ReadWriteOnce}]
  resources: {requests: {storage: 16Mi}}
${PYDOCK_K8S_STORAGE_CLASS:+  storageClassName: $PYDOCK_K8S_STORAGE_CLASS}
YAML
fi

say "running the session, pool and job suites on the kubernetes target"
status=0
PYDOCK_K8S_CLUSTER=1 PYDOCK_K8S_CLAIM="$CLAIM" MSGPACKR_NATIVE_ACCELERATION_DISABLED=true \
  node --import tsx --test --test-concurrency=1 --test-reporter=spec --test-name-pattern='kubernetes' \
  test/integration/session.test.ts test/integration/api.pool.test.ts test/integration/jobs.test.ts \
  test/integration/kubernetesJobs.test.ts test/integration/api.jobs.test.ts test/integration/cliJobs.test.ts || status=$?

left=$(kubectl get pods -l pydock=1 -o name 2>/dev/null | wc -l)
say "pods left with the pydock label in $NAMESPACE: $left (finished ones of dead runs are collected by the next start)"
exit "$status"
