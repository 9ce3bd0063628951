//go:build tools

// Package tools pins the helm binary this module builds: it renders the RBAC of the Crossplane Helm
// chart that ships in the pinned crossplane module, for the end-to-end control plane.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
