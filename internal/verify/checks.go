package verify

import (
	"fmt"

	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/finding"
)

// check is one DYN rule as the dynamic phase reports it: its id, lab and
// title, read from the catalog (policies/dynamic/checks.yaml, the one
// definition of every dynamic check).
type check struct {
	id    string
	lab   finding.Lab
	title string
}

// catalogCheck returns the catalog's check of that id. An id the catalog
// lacks is a programming error, found when the package is loaded.
func catalogCheck(id string) check {
	c, ok := dynamic.Lookup(id)
	if !ok {
		panic(fmt.Sprintf("labcheck-verify reports %s, which %s does not define", id, dynamic.CatalogFile))
	}
	return check{c.ID, c.Lab, c.Title}
}

var (
	imageBuilds  = catalogCheck("DYN-001")
	imageNonRoot = catalogCheck("DYN-002")
	imageSmaller = catalogCheck("DYN-003")

	k8sGate      = catalogCheck("DYN-010")
	k8sAccepted  = catalogCheck("DYN-011")
	k8sReady     = catalogCheck("DYN-012")
	k8sReadWrite = catalogCheck("DYN-013")
	k8sPodLoss   = catalogCheck("DYN-014")
	k8sRecovery  = catalogCheck("DYN-015")
	k8sNodeLoss  = catalogCheck("DYN-016")
	k8sAdapted   = catalogCheck("DYN-019")

	helmInstalls  = catalogCheck("DYN-020")
	helmTests     = catalogCheck("DYN-021")
	helmReadWrite = catalogCheck("DYN-022")
	helmPodLoss   = catalogCheck("DYN-023")
	helmRecovery  = catalogCheck("DYN-024")
	helmNodeLoss  = catalogCheck("DYN-025")
	helmAdapted   = catalogCheck("DYN-029")

	istioAccepted = catalogCheck("DYN-030")
	istioRoutes   = catalogCheck("DYN-031")
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
