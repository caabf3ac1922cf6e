// fluxbuild: a test oracle that renders a Flux Kustomization the way kustomize-controller does.
// It is never run by the product; test/integration/fluxRenderOracle.test.ts compares the
// workbench's render with it.
//
// Usage: fluxbuild <repository folder> <Flux Kustomization as JSON file>
// The folder is copied to a temporary folder; the copy of spec.path is edited by
// github.com/fluxcd/pkg/kustomize's generator (targetNamespace, namePrefix, nameSuffix,
// patches, images, components, or a generated kustomization.yaml), built with its SecureBuild
// (no load restrictor, plugins off, the copy as the file system root), then, with
// spec.postBuild, each resource's variables are substituted by the library's
// SubstituteVariables in dry-run mode (spec.postBuild.substitute only: no cluster is read for
// substituteFrom), and spec.commonMetadata is merged into every resource's metadata as the
// controller does on apply.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	generator "github.com/fluxcd/pkg/kustomize"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/api/resmap"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--version" {
		fmt.Println(version())
		return
	}
	if len(os.Args) != 3 {
		fail(fmt.Errorf("usage: fluxbuild <repository folder> <kustomization.json>"))
	}
	out, err := render(os.Args[1], os.Args[2])
	if err != nil {
		fail(err)
	}
	_, _ = os.Stdout.Write(out)
}

// version names the generator library the binary was built with.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/fluxcd/pkg/kustomize" {
				return "fluxbuild with " + dep.Path + " " + dep.Version
			}
		}
	}
	return "fluxbuild (library version unknown)"
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "fluxbuild:", err)
	os.Exit(1)
}

func render(repo, specFile string) ([]byte, error) {
	raw, err := os.ReadFile(specFile)
	if err != nil {
		return nil, err
	}
	var object map[string]any
	if err := json.Unmarshal(raw, &object); err != nil {
		return nil, fmt.Errorf("%s is not a JSON object: %w", specFile, err)
	}
	kustomization := unstructured.Unstructured{Object: object}
	specPath, _, _ := unstructured.NestedString(object, "spec", "path")
	if !filepath.IsLocal(filepath.FromSlash(strings.TrimPrefix(specPath, "./"))) && specPath != "./" && specPath != "" {
		return nil, fmt.Errorf("spec.path %q leaves the repository", specPath)
	}
	work, err := os.MkdirTemp("", "fluxbuild-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	root := filepath.Join(work, "source")
	if err := os.CopyFS(root, os.DirFS(repo)); err != nil {
		return nil, fmt.Errorf("copying %s: %w", repo, err)
	}
	dir := filepath.Join(root, filepath.FromSlash(specPath))
	if _, err := generator.NewGenerator(root, kustomization).WriteFile(dir); err != nil {
		return nil, fmt.Errorf("generating the kustomization: %w", err)
	}
	resources, err := generator.SecureBuild(root, dir, false)
	if err != nil {
		return nil, fmt.Errorf("building %s: %w", specPath, err)
	}
	if _, ok, _ := unstructured.NestedMap(object, "spec", "postBuild"); ok {
		for _, resource := range resources.Resources() {
			// The resource is changed in place (nil: substitution is disabled on it).
			if _, err := generator.SubstituteVariables(context.Background(), nil, kustomization, resource, generator.SubstituteWithDryRun(true)); err != nil {
				return nil, fmt.Errorf("substituting variables: %w", err)
			}
		}
	}
	if err := setCommonMetadata(resources, object); err != nil {
		return nil, err
	}
	return resources.AsYaml()
}

// setCommonMetadata merges spec.commonMetadata labels and annotations into each resource's
// metadata only (not selectors or templates), as kustomize-controller does before applying.
func setCommonMetadata(resources resmap.ResMap, object map[string]any) error {
	labels, _, _ := unstructured.NestedStringMap(object, "spec", "commonMetadata", "labels")
	annotations, _, _ := unstructured.NestedStringMap(object, "spec", "commonMetadata", "annotations")
	for _, resource := range resources.Resources() {
		if len(labels) > 0 {
			merged := map[string]string{}
			maps.Copy(merged, resource.GetLabels())
			maps.Copy(merged, labels)
			if err := resource.SetLabels(merged); err != nil {
				return err
			}
		}
		if len(annotations) > 0 {
			merged := map[string]string{}
			maps.Copy(merged, resource.GetAnnotations())
			maps.Copy(merged, annotations)
			if err := resource.SetAnnotations(merged); err != nil {
				return err
			}
		}
	}
	return nil
}
