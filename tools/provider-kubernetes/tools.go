//go:build tools

// Package tools pins the provider-kubernetes binary this module builds: the end-to-end control plane
// runs it out of cluster to reach the stand-in tenant cluster of a remote StorageTenant.
package tools

import _ "github.com/crossplane-contrib/provider-kubernetes/cmd/provider"
