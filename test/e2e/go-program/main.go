// A Go program of the plugin face, run for real: it declares a clickhouse-cloud:index:Service
// through the Go SDK generated from provider/plugin/schema.json (scripts/gen-sdks.js writes it to
// sdk/go, which go.mod replaces the SDK's module with) and deploys it with the Automation API's
// inline program, which serves the program from this process: no pulumi-language-go host is needed.
//
// Usage: go-program up|preview|destroy. Each step prints one line `RESULT <json>` on stdout (the
// engine's output goes to stderr). Environment:
//
//	GO_E2E_WORKDIR                  the project folder (Pulumi.yaml and the stack settings)
//	GO_E2E_API_URL, GO_E2E_ORG_ID,  the provider's settings, set as the stack's configuration
//	GO_E2E_TOKEN_KEY,               (clickhouse-cloud:apiUrl, organizationId, tokenKey and
//	GO_E2E_TOKEN_SECRET             tokenSecret, the last one as a secret)
//
// and the CLI's own: PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, PULUMI_HOME (with the plugin).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi-clickhouse-cloud/pulumi-clickhouse-cloud/sdk/go/clickhousecloud"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	projectName = "go-e2e"
	stackName   = "e2e"
)

// program is the inline Pulumi program: one service, its state and id exported.
func program(ctx *pulumi.Context) error {
	svc, err := clickhousecloud.NewService(ctx, "warehouse", &clickhousecloud.ServiceArgs{
		Name:     pulumi.String("go-warehouse"),
		Provider: clickhousecloud.CloudProviderAWS,
		Region:   clickhousecloud.Region_EU_CENTRAL_1,
		IpAccessList: clickhousecloud.ServiceIpAccessEntryArray{
			clickhousecloud.ServiceIpAccessEntryArgs{
				Source:      pulumi.String("203.0.113.0/24"),
				Description: pulumi.String("office"),
			},
		},
		Password: pulumi.ToSecret(pulumi.String("S3cret-go-pass-1")).(pulumi.StringOutput),
	})
	if err != nil {
		return err
	}
	ctx.Export("state", svc.State)
	ctx.Export("serviceId", svc.ID())
	ctx.Export("name", svc.Name)
	return nil
}

func mustEnv(name string) string {
	v := os.Getenv(name)
	if v == "" {
		fail(fmt.Errorf("%s is not set", name))
	}
	return v
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "go-program:", err)
	os.Exit(1)
}

func result(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		fail(err)
	}
	fmt.Printf("RESULT %s\n", b)
}

func main() {
	if len(os.Args) != 2 {
		fail(fmt.Errorf("usage: go-program up|preview|destroy"))
	}
	ctx := context.Background()
	stack, err := auto.UpsertStackInlineSource(ctx, stackName, projectName, program,
		auto.WorkDir(mustEnv("GO_E2E_WORKDIR")),
		auto.Project(workspace.Project{Name: projectName, Runtime: workspace.NewProjectRuntimeInfo("go", nil)}),
	)
	if err != nil {
		fail(fmt.Errorf("stack: %w", err))
	}
	if err := stack.SetAllConfig(ctx, auto.ConfigMap{
		"clickhouse-cloud:apiUrl":         {Value: mustEnv("GO_E2E_API_URL")},
		"clickhouse-cloud:organizationId": {Value: mustEnv("GO_E2E_ORG_ID")},
		"clickhouse-cloud:tokenKey":       {Value: mustEnv("GO_E2E_TOKEN_KEY")},
		"clickhouse-cloud:tokenSecret":    {Value: mustEnv("GO_E2E_TOKEN_SECRET"), Secret: true},
	}); err != nil {
		fail(fmt.Errorf("config: %w", err))
	}

	switch os.Args[1] {
	case "up":
		res, err := stack.Up(ctx, optup.ProgressStreams(os.Stderr), optup.ErrorProgressStreams(os.Stderr))
		if err != nil {
			fail(fmt.Errorf("up: %w", err))
		}
		outputs := map[string]any{}
		for k, v := range res.Outputs {
			outputs[k] = map[string]any{"value": v.Value, "secret": v.Secret}
		}
		result(map[string]any{"outputs": outputs, "changes": res.Summary.ResourceChanges})
	case "preview":
		res, err := stack.Preview(ctx, optpreview.ExpectNoChanges(),
			optpreview.ProgressStreams(os.Stderr), optpreview.ErrorProgressStreams(os.Stderr))
		if err != nil {
			fail(fmt.Errorf("preview: %w", err))
		}
		result(map[string]any{"changes": res.ChangeSummary})
	case "destroy":
		res, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stderr), optdestroy.ErrorProgressStreams(os.Stderr))
		if err != nil {
			fail(fmt.Errorf("destroy: %w", err))
		}
		result(map[string]any{"changes": res.Summary.ResourceChanges})
	default:
		fail(fmt.Errorf("unknown step %q (up, preview or destroy)", os.Args[1]))
	}
}
