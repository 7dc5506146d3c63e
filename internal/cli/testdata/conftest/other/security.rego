# A second namespace, run with --namespace labs.security.
package labs.security

import rego.v1

deny contains msg if {
	input.kind == "Secret"
	input.stringData
	msg := sprintf("Secret %s keeps its values in plain stringData", [input.metadata.name])
}
