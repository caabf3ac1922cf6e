// kustomizebatch: a benchmark tool, never run by the product. It builds many kustomizations in
// one process with kustomize's own API (sigs.k8s.io/kustomize/api/krusty, the code the
// kustomize CLI runs), so scripts/bench/kustomizeProcesses.ts can measure what starting a
// kustomize process per unit costs, and check that the outputs are the CLI's, byte for byte.
//
// Usage: kustomizebatch < folders   (one kustomization folder per line)
// For each folder, in order, stdout gets "ok <n>\n" and the n bytes of `kustomize build`'s
// output, or "error <n>\n" and the n bytes of its error. Options are those of `kustomize build`
// with no flag: load restrictor on, plugins, exec functions and helm off, legacy order unless the
// kustomization says otherwise.
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime/debug"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/openapi"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--version" {
		fmt.Println(version())
		return
	}
	options := krusty.MakeDefaultOptions()
	options.PluginConfig = types.DisabledPluginConfig()
	// As `kustomize build` without --reorder: the kustomization's sortOptions, else legacy.
	options.Reorder = krusty.ReorderOptionUnspecified
	kustomizer := krusty.MakeKustomizer(options)
	fs := filesys.MakeFsOnDisk()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64*1024), 1024*1024)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	for in.Scan() {
		// The schema a kustomization's `openapi` field sets is global: each build starts afresh,
		// as in a process of its own.
		openapi.ResetOpenAPI()
		built, err := kustomizer.Run(fs, in.Text())
		var yaml []byte
		if err == nil {
			yaml, err = built.AsYaml()
		}
		if err != nil {
			message := err.Error()
			fmt.Fprintf(out, "error %d\n%s", len(message), message)
			continue
		}
		fmt.Fprintf(out, "ok %d\n", len(yaml))
		_, _ = out.Write(yaml)
	}
}

func version() string {
	info, ok := debug.ReadBuildInfo()
	if ok {
		for _, dep := range info.Deps {
			if dep.Path == "sigs.k8s.io/kustomize/api" {
				return "kustomizebatch with " + dep.Path + " " + dep.Version
			}
		}
	}
	return "kustomizebatch (library version unknown)"
}
