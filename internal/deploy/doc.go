// Package deploy puts a lab's manifests on the dynamic phase's cluster:
// the security gate first, then the adaptations a throw-away cluster needs
// (reported), server-side apply in dependency order, and bounded waits that
// explain themselves with events and logs. It never creates the cluster and
// never passes anything of the host (environment, credentials) into it.
package deploy
