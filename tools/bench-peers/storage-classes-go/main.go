// Command storage-classes-go is function-stackplane's StorageClasses step written the way a Go
// composition function is written on function-sdk-go: the same StorageClasses, VolumeSnapshotClass and
// storage managed resources, readiness, status, conditions and requirements for a StorageTenant in its
// own cluster with the input's defaults and csiDriver.deploy false (the platform installs the CSI
// driver), which is what the benchmark sends. It is a benchmark peer, not a product: spec validation
// is left to the API server (the XRD's schema), as most Go functions do.
//
// Usage: storage-classes-go --address 127.0.0.1:9443
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/crossplane/function-sdk-go"
	"github.com/crossplane/function-sdk-go/errors"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"github.com/crossplane/function-sdk-go/response"
)

const (
	credentialsSecret = "credentials-secret"
	storageAPIVersion = "storage.m.stackplane.io/v1alpha1"
)

// input is the StorageClasses step input with the defaults of apis/functions/storage-classes-input.ts.
type input struct {
	Provisioner       string
	CredentialsName   string
	CredentialsNS     string
	ProviderConfig    map[string]any
	EncryptionKeyName string
	SnapshotClass     string
	DeletionPolicy    string
	DefaultSnapshot   bool
}

func defaultInput(req *fnv1.RunFunctionRequest) input {
	in := input{
		Provisioner:       "csi.lightbitslabs.com",
		CredentialsName:   "lb-csi-creds",
		CredentialsNS:     "kube-system",
		ProviderConfig:    map[string]any{"kind": "ClusterProviderConfig", "name": "default"},
		EncryptionKeyName: "storage-encryption-key",
		SnapshotClass:     "partition-snapshot",
		DeletionPolicy:    "Delete",
		DefaultSnapshot:   true,
	}
	f := req.GetInput().GetFields()
	if v := f["provisioner"].GetStringValue(); v != "" {
		in.Provisioner = v
	}
	if s := f["credentialsSecret"].GetStructValue().GetFields(); s != nil {
		in.CredentialsName, in.CredentialsNS = s["name"].GetStringValue(), s["namespace"].GetStringValue()
	}
	return in
}

type entry struct {
	Name              string
	Replicas          int64
	Compression       *bool
	Encryption        bool
	Default           bool
	ReclaimPolicy     string
	VolumeBindingMode string
}

func entries(xr *unstructured.Unstructured) []entry {
	raw, _, _ := unstructured.NestedSlice(xr.Object, "spec", "storageClasses")
	out := make([]entry, 0, len(raw))
	for _, r := range raw {
		m, _ := r.(map[string]any)
		e := entry{ReclaimPolicy: "Retain", VolumeBindingMode: "Immediate"}
		e.Name, _ = m["name"].(string)
		if n, ok := m["replicas"].(int64); ok {
			e.Replicas = n
		} else if f, ok := m["replicas"].(float64); ok {
			e.Replicas = int64(f)
		}
		if c, ok := m["compression"].(bool); ok {
			e.Compression = &c
		}
		e.Encryption, _ = m["encryption"].(bool)
		e.Default, _ = m["default"].(bool)
		if v, ok := m["reclaimPolicy"].(string); ok {
			e.ReclaimPolicy = v
		}
		if v, ok := m["volumeBindingMode"].(string); ok {
			e.VolumeBindingMode = v
		}
		out = append(out, e)
	}
	return out
}

func labels(tenant string) map[string]any {
	return map[string]any{"app.kubernetes.io/managed-by": "stackplane", "storage.stackplane.io/tenant": tenant}
}

var tokenOperations = []string{"provisioner", "controller-publish", "controller-expand", "node-stage", "node-publish"}

func storageClass(e entry, tenant, projectID string, endpoints []string, in input) map[string]any {
	compression := !e.Encryption
	if e.Compression != nil {
		compression = *e.Compression
	}
	params := map[string]any{
		"mgmt-scheme":   "grpcs",
		"mgmt-endpoint": strings.Join(endpoints, ","),
		"project-name":  projectID,
		"replica-count": fmt.Sprint(e.Replicas),
		"compression":   map[bool]string{true: "enabled", false: "disabled"}[compression],
	}
	if e.Encryption {
		params["host-encryption"] = "enabled"
	}
	for _, op := range tokenOperations {
		onNode := e.Encryption && (op == "node-stage" || op == "node-publish")
		name, ns := in.CredentialsName, in.CredentialsNS
		if onNode {
			name, ns = in.EncryptionKeyName, "${pvc.namespace}"
		}
		params["csi.storage.k8s.io/"+op+"-secret-name"] = name
		params["csi.storage.k8s.io/"+op+"-secret-namespace"] = ns
	}
	return map[string]any{
		"apiVersion": "storage.k8s.io/v1",
		"kind":       "StorageClass",
		"metadata": map[string]any{
			"name":        e.Name,
			"labels":      labels(tenant),
			"annotations": map[string]any{"storageclass.kubernetes.io/is-default-class": fmt.Sprint(e.Default)},
		},
		"provisioner":          in.Provisioner,
		"allowVolumeExpansion": true,
		"reclaimPolicy":        e.ReclaimPolicy,
		"volumeBindingMode":    e.VolumeBindingMode,
		"parameters":           params,
	}
}

// immutableChanges lists the fields the API server refuses to change on a StorageClass.
func immutableChanges(observed, desired map[string]any) []string {
	var changes []string
	for _, field := range []string{"provisioner", "reclaimPolicy", "volumeBindingMode", "parameters"} {
		if !reflect.DeepEqual(observed[field], desired[field]) {
			changes = append(changes, field)
		}
	}
	sort.Strings(changes)
	return changes
}

func conditionTrue(o resource.ObservedComposed, ok bool) bool {
	if !ok {
		return false
	}
	conds, _, _ := unstructured.NestedSlice(o.Resource.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == "Ready" && m["status"] == "True" {
			return true
		}
	}
	return false
}

type fn struct {
	fnv1.UnimplementedFunctionRunnerServiceServer
}

func (f *fn) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	rsp := response.To(req, response.DefaultTTL)
	in := defaultInput(req)
	rsp.Requirements = &fnv1.Requirements{Resources: map[string]*fnv1.ResourceSelector{
		credentialsSecret: {
			ApiVersion: "v1", Kind: "Secret",
			Match:     &fnv1.ResourceSelector_MatchName{MatchName: in.CredentialsName},
			Namespace: &in.CredentialsNS,
		},
	}}
	required, err := request.GetRequiredResources(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get required resources"))
		return rsp, nil
	}
	secrets, fetched := required[credentialsSecret]
	if !fetched {
		return rsp, nil
	}
	tokenReady := false
	if len(secrets) > 0 {
		_, tokenReady, _ = unstructured.NestedString(secrets[0].Resource.Object, "data", "jwt")
	}

	oxr, err := request.GetObservedCompositeResource(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get observed composite resource"))
		return rsp, nil
	}
	xr := &oxr.Resource.Unstructured
	tenant := xr.GetName()
	projectID, _, _ := unstructured.NestedString(xr.Object, "spec", "projectID")
	endpoints, _, _ := unstructured.NestedStringSlice(xr.Object, "spec", "endpoints")

	observed, err := request.GetObservedComposedResources(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get observed composed resources"))
		return rsp, nil
	}
	desired, err := request.GetDesiredComposedResources(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get desired composed resources"))
		return rsp, nil
	}
	add := func(name string, object map[string]any, ready bool) {
		d := composed.New()
		d.Object = object
		r := resource.ReadyFalse
		if ready {
			r = resource.ReadyTrue
		}
		desired[resource.Name(name)] = &resource.DesiredComposed{Resource: d, Ready: r}
	}

	managed := func(kind string, spec map[string]any) map[string]any {
		spec["providerConfigRef"] = in.ProviderConfig
		return map[string]any{
			"apiVersion": storageAPIVersion,
			"kind":       kind,
			"metadata":   map[string]any{"name": tenant, "namespace": in.CredentialsNS, "labels": labels(tenant)},
			"spec":       spec,
		}
	}
	keep := []any{"Observe", "Create", "Update", "LateInitialize"}
	project, projectOK := observed["storage-project"]
	credential, credentialOK := observed["storage-credential"]
	token, tokenOK := observed["storage-token"]
	add("storage-project", managed("Project", map[string]any{
		"forProvider": map[string]any{"name": projectID}, "managementPolicies": keep,
	}), conditionTrue(project, projectOK))
	add("storage-credential", managed("Credential", map[string]any{
		"forProvider": map[string]any{"projectName": projectID}, "managementPolicies": keep,
	}), conditionTrue(credential, credentialOK))
	if tokenOK || conditionTrue(credential, credentialOK) {
		add("storage-token", managed("Token", map[string]any{
			"forProvider":                map[string]any{"projectName": projectID},
			"writeConnectionSecretToRef": map[string]any{"name": in.CredentialsName},
		}), conditionTrue(token, tokenOK))
	}

	names := []any{}
	defaultClass := ""
	for _, e := range entries(xr) {
		names = append(names, e.Name)
		if e.Default && defaultClass == "" {
			defaultClass = e.Name
		}
		name := "storageclass-" + e.Name
		sc := storageClass(e, tenant, projectID, endpoints, in)
		existing, exists := observed[resource.Name(name)]
		if exists {
			if changes := immutableChanges(existing.Resource.Object, sc); len(changes) > 0 {
				response.Warning(rsp, errors.Errorf("StorageClass %q is being replaced: %s", e.Name, strings.Join(changes, ", ")))
				continue
			}
		}
		add(name, sc, exists && tokenReady)
	}
	_, snapshotObserved := observed["volumesnapshotclass"]
	add("volumesnapshotclass", map[string]any{
		"apiVersion": "snapshot.storage.k8s.io/v1",
		"kind":       "VolumeSnapshotClass",
		"metadata": map[string]any{
			"name":        in.SnapshotClass,
			"labels":      labels(tenant),
			"annotations": map[string]any{"snapshot.storage.kubernetes.io/is-default-class": fmt.Sprint(in.DefaultSnapshot)},
		},
		"driver":         in.Provisioner,
		"deletionPolicy": in.DeletionPolicy,
		"parameters": map[string]any{
			"csi.storage.k8s.io/snapshotter-secret-name":               in.CredentialsName,
			"csi.storage.k8s.io/snapshotter-secret-namespace":          in.CredentialsNS,
			"csi.storage.k8s.io/snapshotter-list-secret-name":          in.CredentialsName,
			"csi.storage.k8s.io/snapshotter-list-secret-namespace":     in.CredentialsNS,
			"snapshot.storage.kubernetes.io/deletion-secret-name":      in.CredentialsName,
			"snapshot.storage.kubernetes.io/deletion-secret-namespace": in.CredentialsNS,
		},
	}, snapshotObserved && tokenReady)
	if err := response.SetDesiredComposedResources(rsp, desired); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot set desired composed resources"))
		return rsp, nil
	}

	dxr, err := request.GetDesiredCompositeResource(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get desired composite resource"))
		return rsp, nil
	}
	status := map[string]any{
		"storageClasses":      names,
		"volumeSnapshotClass": in.SnapshotClass,
		"endpoints":           strings.Join(endpoints, ","),
		"target":              "local",
	}
	if defaultClass != "" {
		status["defaultStorageClass"] = defaultClass
	}
	if err := dxr.Resource.SetValue("status", status); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot set composite status"))
		return rsp, nil
	}
	if err := response.SetDesiredCompositeResource(rsp, dxr); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot set desired composite resource"))
		return rsp, nil
	}
	response.ConditionTrue(rsp, "Valid", "ValidSpec").TargetComposite()
	where := fmt.Sprintf("Secret %s/%s", in.CredentialsNS, in.CredentialsName)
	if tokenReady {
		response.ConditionTrue(rsp, "StorageCredentials", "TokenAvailable").
			WithMessage(where + " holds the tenant token").TargetComposite()
	} else {
		response.ConditionFalse(rsp, "StorageCredentials", "WaitingForToken").
			WithMessage("waiting for " + where + " with key jwt").TargetComposite()
	}
	return rsp, nil
}

func main() {
	address := flag.String("address", "127.0.0.1:9443", "address to listen on")
	flag.Parse()
	// No metrics server: the TypeScript function under comparison serves none either.
	if err := function.Serve(&fn{}, function.Listen("tcp", *address), function.Insecure(true), function.WithMetricsServer("")); err != nil {
		fmt.Fprintln(os.Stderr, "storage-classes-go:", err)
		os.Exit(1)
	}
}
