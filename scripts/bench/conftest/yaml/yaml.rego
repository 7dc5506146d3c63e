# The YAML half of the conftest equivalent of a labcheck run, for
# scripts/bench-peers.sh: ten of labcheck's Kubernetes and Istio rules
# written the way a conftest user would, over every manifest at once
# (conftest test --combine), so rules can look objects up across files.
package main

import rego.v1

# objects are every document of every file.
objects := [d |
	some f in input
	some d in docs(f.contents)
	is_object(d)
]

docs(c) := c if is_array(c)

docs(c) := [c] if is_object(c)

ns(o) := object.get(o, ["metadata", "namespace"], "default")

workloads := [o | some o in objects; o.kind in {"Deployment", "StatefulSet", "DaemonSet"}]

containers(w) := object.get(w, ["spec", "template", "spec", "containers"], [])

deny contains msg if {
	some w in workloads
	some c in containers(w)
	some r in ["requests", "limits"]
	some k in ["cpu", "memory"]
	not c.resources[r][k]
	msg := sprintf("%s %s: container %s sets no %s.%s", [w.kind, w.metadata.name, c.name, r, k])
}

deny contains msg if {
	some w in workloads
	some c in containers(w)
	not regex.match(`:[^/]+$|@`, c.image)
	msg := sprintf("%s %s: image %s has no tag", [w.kind, w.metadata.name, c.image])
}

deny contains msg if {
	some w in workloads
	some c in containers(w)
	endswith(c.image, ":latest")
	msg := sprintf("%s %s: image %s uses latest", [w.kind, w.metadata.name, c.image])
}

deny contains msg if {
	some w in workloads
	not w.spec.template.spec.securityContext.runAsNonRoot
	msg := sprintf("%s %s does not set runAsNonRoot", [w.kind, w.metadata.name])
}

deny contains msg if {
	some s in objects
	s.kind == "StatefulSet"
	not headless(s.spec.serviceName, ns(s))
	msg := sprintf("StatefulSet %s: serviceName names no headless Service", [s.metadata.name])
}

headless(name, n) if {
	some o in objects
	o.kind == "Service"
	o.metadata.name == name
	ns(o) == n
	o.spec.clusterIP == "None"
}

deny contains msg if {
	some s in objects
	s.kind == "StatefulSet"
	not budgeted(s)
	msg := sprintf("no PodDisruptionBudget selects StatefulSet %s", [s.metadata.name])
}

budgeted(s) if {
	some p in objects
	p.kind == "PodDisruptionBudget"
	ns(p) == ns(s)
	every k, v in p.spec.selector.matchLabels {
		s.spec.template.metadata.labels[k] == v
	}
}

deny contains msg if {
	some w in workloads
	not quota(ns(w))
	msg := sprintf("namespace %s has no ResourceQuota", [ns(w)])
}

quota(n) if {
	some o in objects
	o.kind == "ResourceQuota"
	ns(o) == n
}

deny contains msg if {
	some w in workloads
	some c in containers(w)
	some e in object.get(c, "env", [])
	regex.match(`(?i)PASSWORD|SECRET|TOKEN`, e.name)
	e.value
	msg := sprintf("%s %s: %s is a literal", [w.kind, w.metadata.name, e.name])
}

deny contains "no PeerAuthentication sets mTLS STRICT" if {
	count([p | some p in objects; p.kind == "PeerAuthentication"; p.spec.mtls.mode == "STRICT"]) == 0
}

deny contains msg if {
	some vs in objects
	vs.kind == "VirtualService"
	some g in object.get(vs, ["spec", "gateways"], [])
	g != "mesh"
	name := regex.replace(g, `^.*/`, "")
	count([x | some x in objects; x.kind == "Gateway"; x.metadata.name == name]) == 0
	msg := sprintf("VirtualService %s: gateway %s does not exist", [vs.metadata.name, g])
}

deny contains msg if {
	some dr in objects
	dr.kind == "DestinationRule"
	name := split(dr.spec.host, ".")[0]
	count([s | some s in objects; s.kind == "Service"; s.metadata.name == name]) == 0
	msg := sprintf("DestinationRule %s: host %s names no Service", [dr.metadata.name, dr.spec.host])
}
