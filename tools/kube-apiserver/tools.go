//go:build tools

// Package tools pins the binaries this module builds: the API server; for the end-to-end control
// plane, the controller manager (garbage collector, role aggregation, service accounts) and kubectl.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
