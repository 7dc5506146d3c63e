#!/bin/sh
# labcheck-net: the pod network of labcheck's offline kind nodes (kind's
# kindnetd cannot be built from the module proxy). One copy runs on every node
# (DaemonSet, host network). It writes this node's CNI config (a bridge with
# host-local addresses from the node's podCIDR), routes every other node's
# podCIDR via that node's address (all kind nodes share one Docker network),
# and masquerades pod traffic that leaves the pod network.
set -u
SA=/var/run/secrets/kubernetes.io/serviceaccount
CONF=/etc/cni/net.d/10-labcheck-net.conflist
POD_SUBNET=${POD_SUBNET:?}
NODE_NAME=${NODE_NAME:?}
server=${CONTROL_PLANE_ENDPOINT:+https://$CONTROL_PLANE_ENDPOINT}
server=${server:-https://${KUBERNETES_SERVICE_HOST}:${KUBERNETES_SERVICE_PORT}}

if ! iptables -t nat -C POSTROUTING -s "$POD_SUBNET" ! -d "$POD_SUBNET" -m comment --comment labcheck-net -j MASQUERADE 2>/dev/null; then
	iptables -t nat -A POSTROUTING -s "$POD_SUBNET" ! -d "$POD_SUBNET" -m comment --comment labcheck-net -j MASQUERADE
fi

write_conf() {
	cat >"$CONF.tmp" <<CONF
{
  "cniVersion": "0.4.0",
  "name": "labcheck-net",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$1"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
CONF
	if ! cmp -s "$CONF.tmp" "$CONF"; then
		mv "$CONF.tmp" "$CONF"
		echo "labcheck-net: $NODE_NAME: pods in $1 ($CONF)"
	else
		rm -f "$CONF.tmp"
	fi
}

# route NAME CIDR IP: this node's CNI config, or the route to another
# node's pods.
route() {
	[ -n "$2" ] || return 0
	if [ "$1" = "$NODE_NAME" ]; then
		write_conf "$2"
	elif [ -n "$3" ]; then
		if ! ip route show "$2" | grep -q "via $3 "; then
			ip route replace "$2" via "$3" && echo "labcheck-net: route $2 via $3 ($1)"
		fi
	fi
}

# One watch of the nodes (the list, then every change: a node restarted by
# a node-loss check may come back at another address), as kindnetd watches
# them. A kubectl costs about 0.3 CPU-s; polling with one every 5 s on every
# node made labcheck-net the busiest pod on a worker (13-16 CPU-s per node
# in a 5-minute labcheck verify, MinIO 4 s) and loaded the API server. When
# the watch ends (the server closes watches after a while, or a connection
# drops), it starts again.
while true; do
	kubectl --server="$server" --certificate-authority="$SA/ca.crt" --token="$(cat "$SA/token")" \
		get nodes --watch -o jsonpath='{.metadata.name}{" "}{.spec.podCIDR}{" "}{.status.addresses[?(@.type=="InternalIP")].address}{"\n"}' |
		while read -r name cidr ip; do route "$name" "$cidr" "$ip"; done
	sleep 2
done
