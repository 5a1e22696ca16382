package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
)

func newImportCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import the routes, policies, certificates and settings of a Pomerium config.yaml",
		Long: "Read an open-source Pomerium config.yaml and create its routes (with their policy and allow_*\n" +
			"keys as a PPL policy), certificates and global settings in the console, in one transaction:\n" +
			"everything is created, or nothing. Files the config names are read relative to it, or from\n" +
			"the zip FILE is (as export writes one). With --dry-run, only print what would be created,\n" +
			"what conflicts, and what is not supported.",
		Args: cobra.ExactArgs(1),
	}
	flags := addStoreFlags(cmd)
	ns := cmd.Flags().String("namespace", "", "the id or name of the namespace to create the routes in (required)")
	dryRun := cmd.Flags().Bool("dry-run", false, "print the preview only; change nothing")
	_ = cmd.MarkFlagRequired("namespace")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		file := args[0]
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		plan, err := parseFile(file, data)
		if err != nil {
			return reportProblems(cmd.ErrOrStderr(), file, err)
		}
		o, err := flags.open(cmd)
		if err != nil {
			return err
		}
		defer o.store.Close()
		return o.importPlan(cmd, plan, *ns, *dryRun)
	}
	return cmd
}

// parseFile reads a config.yaml, reading the files it names relative to
// it, or a zip of one with its files (as export writes them).
func parseFile(file string, data []byte) (*configyaml.Plan, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return configyaml.ParseZip(file, data)
	}
	dir := filepath.Dir(file)
	return configyaml.Parse(file, data, configyaml.WithReadFile(func(name string) ([]byte, error) {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		return os.ReadFile(name)
	}))
}

// importPlan previews plan and, unless dryRun, applies it.
func (o *offline) importPlan(cmd *cobra.Command, plan *configyaml.Plan, ref string, dryRun bool) error {
	ctx, w := cmd.Context(), cmd.OutOrStdout()
	acc, err := o.access(ctx)
	if err != nil {
		return err
	}
	ns, err := namespace(acc.Tree(), ref)
	if err != nil {
		return err
	}
	svc := configyaml.NewService(o.store, o.sealer, time.Now, policies.CompilePPL)
	preview, err := svc.Preview(ctx, acc, plan, ns.ID)
	if err != nil {
		return err
	}
	printOutcome(w, preview)
	if !preview.OK() {
		return reportProblems(cmd.ErrOrStderr(), plan.File, preview.Problems())
	}
	if dryRun {
		_, err := fmt.Fprintln(w, "Dry run: nothing was changed.")
		return err
	}
	fmt.Fprintf(w, "Importing into namespace %q…\n", ns.Name)
	out, err := svc.Apply(ctx, acc, plan, ns.ID)
	if err != nil {
		return reportProblems(cmd.ErrOrStderr(), plan.File, err)
	}
	settingsNote := ""
	if out.Count(configyaml.KindSettings, "") > 0 {
		settingsNote = ", and changed the global settings"
	}
	_, err = fmt.Fprintf(w, "Imported %d routes, %d policies and %d key pairs%s.\n", out.Count(configyaml.KindRoute, ""),
		out.Count(configyaml.KindPolicy, ""), out.Count(configyaml.KindKeyPair, ""), settingsNote)
	return err
}

// printOutcome lists what the import does, and the keys it leaves out.
func printOutcome(w io.Writer, out *configyaml.Outcome) {
	for _, it := range out.Items {
		fmt.Fprintf(w, "%-8s %-8s %q  (%s, line %d)\n", it.Status, it.Kind, it.Name, it.Key, it.Line)
	}
	for _, u := range out.Plan.Unsupported {
		fmt.Fprintf(w, "skipped  %s\n", u)
	}
}

// reportProblems lists every problem on w and fails.
func reportProblems(w io.Writer, file string, err error) error {
	var problems configyaml.Problems
	if !errors.As(err, &problems) {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(w, p)
	}
	noun := "problems"
	if len(problems) == 1 {
		noun = "problem"
	}
	return fmt.Errorf("%s: %d %s, nothing was imported", file, len(problems), noun)
}
