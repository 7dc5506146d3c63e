package probe

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/transport/spdy"
)

// forward is a port-forward from 127.0.0.1 to a pod's port that comes back
// when the connection to the API server drops.
type forward struct {
	cfg       *rest.Config
	kube      kubernetes.Interface
	ns, pod   string
	port      int
	mu        sync.Mutex
	stop      chan struct{}
	done      chan struct{}
	localPort int
	fixed     string // when set, the address to use instead of a port-forward (tests)
}

func newForward(cfg *rest.Config, kube kubernetes.Interface, ns, pod string, port int) *forward {
	return &forward{cfg: cfg, kube: kube, ns: ns, pod: pod, port: port}
}

// addr returns the local address, (re)starting the forward when needed.
func (f *forward) addr(ctx context.Context) (string, error) {
	if f.fixed != "" {
		return f.fixed, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done != nil {
		select {
		case <-f.done: // it died: start over
			f.done = nil
		default:
			return "127.0.0.1:" + strconv.Itoa(f.localPort), nil
		}
	}
	transport, upgrader, err := spdy.RoundTripperFor(f.cfg)
	if err != nil {
		return "", fmt.Errorf("port-forward: %w", err)
	}
	req := f.kube.CoreV1().RESTClient().Post().Resource("pods").Namespace(f.ns).Name(f.pod).SubResource("portforward")
	dialer := spdy.NewDialer(upgrader, &http.Client{Transport: transport}, http.MethodPost, req.URL())
	stop, ready, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	pf, err := portforward.NewOnAddresses(dialer, []string{"127.0.0.1"}, []string{"0:" + strconv.Itoa(f.port)}, stop, ready, io.Discard, io.Discard)
	if err != nil {
		return "", fmt.Errorf("port-forward to %s/%s: %w", f.ns, f.pod, err)
	}
	errc := make(chan error, 1)
	go func() {
		errc <- pf.ForwardPorts()
		close(done)
	}()
	select {
	case <-ready:
	case err := <-errc:
		return "", fmt.Errorf("port-forward to %s/%s:%d: %w", f.ns, f.pod, f.port, err)
	case <-time.After(30 * time.Second):
		close(stop)
		return "", fmt.Errorf("port-forward to %s/%s:%d: not ready after 30s", f.ns, f.pod, f.port)
	case <-ctx.Done():
		close(stop)
		return "", context.Cause(ctx)
	}
	ports, err := pf.GetPorts()
	if err != nil || len(ports) == 0 {
		close(stop)
		return "", fmt.Errorf("port-forward to %s/%s: no local port: %v", f.ns, f.pod, err)
	}
	f.stop, f.done, f.localPort = stop, done, int(ports[0].Local)
	return "127.0.0.1:" + strconv.Itoa(f.localPort), nil
}

func (f *forward) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stop != nil {
		close(f.stop)
		f.stop, f.done = nil, nil
	}
}
