package verify

import "github.com/labcheck/labcheck/internal/finding"

// check is one DYN rule as the dynamic phase reports it. Ids, labs and
// meaning match the policies under policies/dynamic, which carry the rest
// of the metadata (title, rationale, remediation, examples).
type check struct {
	id    string
	lab   finding.Lab
	title string
}

var (
	imageBuilds  = check{"DYN-001", finding.Docker, "the Dockerfile builds"}
	imageNonRoot = check{"DYN-002", finding.Docker, "the image runs as a non-root uid"}
	imageSmaller = check{"DYN-003", finding.Docker, "the final image is smaller than its builder stage"}

	k8sGate      = check{"DYN-010", finding.Kubernetes, "the manifests pass the deploy security gate"}
	k8sAccepted  = check{"DYN-011", finding.Kubernetes, "the API server accepts the manifests"}
	k8sReady     = check{"DYN-012", finding.Kubernetes, "the workloads become Ready"}
	k8sReadWrite = check{"DYN-013", finding.Kubernetes, "MinIO stores and returns objects intact"}
	k8sPodLoss   = check{"DYN-014", finding.Kubernetes, "MinIO keeps working with a member deleted"}
	k8sRecovery  = check{"DYN-015", finding.Kubernetes, "the member comes back on its data"}
	k8sNodeLoss  = check{"DYN-016", finding.Kubernetes, "MinIO keeps working with a node stopped"}
	k8sAdapted   = check{"DYN-019", finding.Kubernetes, "what labcheck changed to deploy the manifests"}

	helmInstalls  = check{"DYN-020", finding.Helm, "the chart installs and becomes Ready"}
	helmTests     = check{"DYN-021", finding.Helm, "the chart's helm test hooks pass"}
	helmReadWrite = check{"DYN-022", finding.Helm, "the release stores and returns objects intact"}
	helmPodLoss   = check{"DYN-023", finding.Helm, "the release keeps working with a member deleted"}
	helmRecovery  = check{"DYN-024", finding.Helm, "the release's member comes back on its data"}
	helmNodeLoss  = check{"DYN-025", finding.Helm, "the release keeps working with a node stopped"}
	helmAdapted   = check{"DYN-029", finding.Helm, "what labcheck changed to install the chart"}

	istioAccepted = check{"DYN-030", finding.Istio, "the API server accepts the Istio objects"}
	istioRoutes   = check{"DYN-031", finding.Istio, "routes lead to deployed Services"}
)

// haChecks are one lab's high-availability proof.
type haChecks struct{ readWrite, podLoss, recovery, nodeLoss check }

var (
	k8sHA  = haChecks{k8sReadWrite, k8sPodLoss, k8sRecovery, k8sNodeLoss}
	helmHA = haChecks{helmReadWrite, helmPodLoss, helmRecovery, helmNodeLoss}
)

func (r *runner) beginCheck(c check) *step { return r.begin(c.id, c.lab, c.title) }

func (r *runner) skipCheck(c check, why, file string, sev finding.Severity) {
	r.skip(c.id, c.lab, c.title, why, file, sev)
}
