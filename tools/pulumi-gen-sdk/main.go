// Binds a Pulumi package schema (validating it against the metaschema) and generates SDKs with
// the codegen of github.com/pulumi/pulumi/pkg/v3, for where no language host with
// GeneratePackage is installed. Usage: gensdk <schema.json> <out dir> <language>...
//
// Languages: nodejs, python, go. Each is written to <out dir>/<language>. The Go SDK gets a go.mod
// there (the codegen writes one only for packages with supportPack): its module is the schema's
// language.go.importBasePath without its last element, requiring the github.com/pulumi/pulumi/sdk/v3
// this program is built with; run `go mod tidy` in it for its go.sum.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

type noLoader struct{}

func (noLoader) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("no package %s", pkg)
}
func (noLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, fmt.Errorf("no package %s", d.Name)
}
func (noLoader) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("no package %s", pkg)
}
func (noLoader) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, fmt.Errorf("no package %s", d.Name)
}

func main() {
	if err := run(os.Args[1], os.Args[2], os.Args[3:]); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(schemaPath, out string, languages []string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return err
	}
	loader := noLoader{}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	for _, d := range diags {
		fmt.Fprintln(os.Stderr, d.Error())
	}
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return fmt.Errorf("%d schema errors", len(diags))
	}
	fmt.Printf("schema bound: %d resources, %d types, %d config variables\n", len(pkg.Resources), len(pkg.Types), len(pkg.Config))
	for _, lang := range languages {
		var files map[string][]byte
		switch lang {
		case "nodejs":
			files, err = nodejs.GeneratePackage("gensdk", pkg, nil, nil, false, loader)
		case "python":
			files, err = python.GeneratePackage("gensdk", pkg, nil, loader)
		case "go":
			files, err = gogen.GeneratePackage("gensdk", pkg, nil)
			if err == nil {
				err = addGoMod(pkg, files)
			}
		default:
			err = fmt.Errorf("unsupported language %s", lang)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", lang, err)
		}
		for name, content := range files {
			p := filepath.Join(out, lang, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, content, 0o644); err != nil {
				return err
			}
		}
		fmt.Printf("%s: %d files\n", lang, len(files))
	}
	return nil
}

// addGoMod adds the go.mod of the Go SDK when the codegen wrote none: the module holds the root
// package (the last element of importBasePath) and requires the Pulumi Go SDK of this build.
func addGoMod(pkg *schema.Package, files map[string][]byte) error {
	if _, ok := files["go.mod"]; ok {
		return nil
	}
	info, _ := pkg.Language["go"].(gogen.GoPackageInfo)
	if info.ImportBasePath == "" {
		return fmt.Errorf("the schema has no language.go.importBasePath, so the Go SDK's module path is unknown")
	}
	sdk := "github.com/pulumi/pulumi/sdk/v3"
	version := ""
	if build, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range build.Deps {
			if dep.Path == sdk {
				version = dep.Version
			}
		}
	}
	if version == "" {
		return fmt.Errorf("no version of %s in this program's build information", sdk)
	}
	files["go.mod"] = []byte(fmt.Sprintf("module %s\n\ngo 1.25\n\nrequire %s %s\n", path.Dir(info.ImportBasePath), sdk, version))
	return nil
}
