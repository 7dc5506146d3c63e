# METADATA
# description: >-
#   Shared helpers for the rules that look for credentials written into a
#   Dockerfile or a manifest (DOCKER-014, K8S-014): which variable names
#   say "secret" and which values could be one.
package labcheck.lib.secrets

# secret_name reports whether a variable's name says it holds a secret.
# Names ending in _FILE, _PATH, _DIR or _FILENAME name where a secret is
# read from (MINIO_ROOT_PASSWORD_FILE=/run/secrets/…), not the secret.
secret_name(name) if {
	regex.match(`(?i)(passw(or)?d|secret|token|api_?key|access_?key|private_?key|credential)`, name)
	not regex.match(`(?i)_(file|filename|path|dir)$`, name)
}

# credential reports whether a literal value could be a credential: it is
# a non-empty string, not a reference to another variable ($VAR, ${VAR})
# and not a flag (ALLOW_EMPTY_PASSWORD=no, MINIO_SECRET_ROTATION=off).
credential(value) if {
	is_string(value)
	v := trim_space(value)
	v != ""
	not startswith(v, "$")
	not lower(v) in flags
}

flags := {"true", "false", "yes", "no", "y", "n", "on", "off", "0", "1", "enabled", "disabled", "enable", "disable", "none", "null", "empty"}
