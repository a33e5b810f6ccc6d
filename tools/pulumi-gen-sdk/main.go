// Binds a Pulumi package schema (validating it against the metaschema) and generates SDKs with
// the codegen of github.com/pulumi/pulumi/pkg/v3, for where no language host with
// GeneratePackage is installed. Usage: gensdk <schema.json> <out dir> <language>...
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
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
		default:
			err = fmt.Errorf("unsupported language %s", lang)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", lang, err)
		}
		for name, content := range files {
			p := filepath.Join(out, lang, name)
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
