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

while true; do
	if kubectl --server="$server" --certificate-authority="$SA/ca.crt" --token="$(cat "$SA/token")" \
		get nodes -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.podCIDR}{" "}{.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}' >/tmp/nodes.new; then
		while read -r name cidr ip; do
			[ -n "$cidr" ] || continue
			if [ "$name" = "$NODE_NAME" ]; then
				write_conf "$cidr"
			elif [ -n "$ip" ]; then
				if ! ip route show "$cidr" | grep -q "via $ip "; then
					ip route replace "$cidr" via "$ip" && echo "labcheck-net: route $cidr via $ip ($name)"
				fi
			fi
		done </tmp/nodes.new
	fi
	sleep 5
done
