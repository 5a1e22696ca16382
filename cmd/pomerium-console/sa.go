package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/duration"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func newServiceAccountCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sa",
		Short: "Create, list and revoke service accounts",
		Long: "Manage service accounts from any host that reaches the console's database. A service account's\n" +
			"token authenticates machines to the console's gRPC API and to routes Pomerium protects; it is\n" +
			"usable in the account's namespace and that namespace's children.",
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newSACreateCommand(), newSAListCommand(), newSARevokeCommand())
	return cmd
}

func newSACreateCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a service account and print its token",
		Long: "Create a service account and print its token (a JWT) on stdout, and nothing else there: it is\n" +
			"shown once and never stored. Without --user-id the account gets a unique user id of its own;\n" +
			"with one it acts as that user (for example an existing user to impersonate).",
		Args: cobra.NoArgs,
	}
	flags := addStoreFlags(cmd)
	f := cmd.Flags()
	ns := f.String("namespace", "", "the id or name of the namespace the account belongs to (required)")
	userID := f.String("user-id", "", "the user id the account acts as (default: a new unique id)")
	expiresIn := f.String("expires-in", "", "how long the account is valid, e.g. 720h or 30d (default: never expires)")
	description := f.String("description", "", "what the account is for")
	_ = cmd.MarkFlagRequired("namespace")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		in := serviceaccounts.Input{UserID: *userID, Description: *description}
		if *expiresIn != "" {
			d, err := duration.Parse(*expiresIn)
			if err != nil || d <= 0 {
				return fmt.Errorf("--expires-in: %q is not a positive duration such as 720h or 30d", *expiresIn)
			}
			exp := time.Now().Add(d)
			in.ExpiresAt = &exp
		}
		return withServiceAccounts(cmd, flags, func(sa *saSession) error {
			nsRow, err := namespace(sa.acc.Tree(), *ns)
			if err != nil {
				return err
			}
			in.NamespaceID = nsRow.ID
			a, token, err := sa.svc.Create(cmd.Context(), sa.acc, in)
			if err != nil {
				return flagError(err)
			}
			if _, err := fmt.Fprintln(cmd.OutOrStdout(), token); err != nil {
				return err
			}
			w := cmd.ErrOrStderr()
			fmt.Fprintf(w, "Created service account %s in namespace %q; its user id is %s.\n", a.ID, nsRow.Name, a.UserID)
			fmt.Fprintln(w, "The token above is shown once and never again: store it now.")
			return sa.reportSync(cmd, a.ID)
		})
	}
	return cmd
}

func newSAListCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the service accounts of a namespace and its children",
		Args:  cobra.NoArgs,
	}
	flags := addStoreFlags(cmd)
	ns := cmd.Flags().String("namespace", db.GlobalNamespaceID, "the id or name of the namespace (default is Global: every account)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		return withServiceAccounts(cmd, flags, func(sa *saSession) error {
			nsRow, err := namespace(sa.acc.Tree(), *ns)
			if err != nil {
				return err
			}
			list, err := sa.svc.List(cmd.Context(), sa.acc, nsRow.ID, true)
			if err != nil {
				return err
			}
			return writeAccounts(cmd.OutOrStdout(), sa.acc, list)
		})
	}
	return cmd
}

func newSARevokeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a service account: its token stops working",
		Args:  cobra.ExactArgs(1),
	}
	flags := addStoreFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		return withServiceAccounts(cmd, flags, func(sa *saSession) error {
			a, err := sa.svc.Revoke(cmd.Context(), sa.acc, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "Revoked service account %s (%s): the console refuses its token from now on.\n", a.ID, a.UserID)
			return sa.reportSync(cmd, a.ID)
		})
	}
	return cmd
}

// saSession is the service accounts service of a command, over the
// console's database, acting as the command line's admin principal.
type saSession struct {
	svc *serviceaccounts.Service
	acc *rbac.Access
}

// withServiceAccounts opens the database, runs fn and closes everything;
// pushes fn started are waited for (each within its timeout) first.
func withServiceAccounts(cmd *cobra.Command, flags storeFlags, fn func(*saSession) error) error {
	o, err := flags.open(cmd)
	if err != nil {
		return err
	}
	defer o.store.Close()
	acc, err := o.access(cmd.Context())
	if err != nil {
		return err
	}
	cl := clusters.NewService(o.store, o.sealer, time.Now)
	dep := deploy.New(deploy.Options{Store: o.store, Sealer: o.sealer, Clusters: cl, Now: time.Now})
	defer dep.Close()
	svc := serviceaccounts.New(serviceaccounts.Options{
		Store: o.store, Secrets: cl, Databrokers: dep, Now: time.Now, Backoff: databroker.DefaultBackoff,
	})
	defer svc.Close()
	return fn(&saSession{svc: svc, acc: acc})
}

// reportSync waits for the push of account id and says on stderr how it
// went: the server's sync job retries what did not land.
func (sa *saSession) reportSync(cmd *cobra.Command, id string) error {
	sa.svc.Wait()
	a, err := sa.svc.Get(cmd.Context(), sa.acc, id)
	if err != nil {
		return err
	}
	w := cmd.ErrOrStderr()
	if a.Sync.State == serviceaccounts.SyncDone {
		fmt.Fprintln(w, "Pomerium's databroker has the change.")
		return nil
	}
	fmt.Fprintf(w, "Pomerium's databroker does not have the change yet (%s); the console server retries until it lands.\n", a.Sync.LastError)
	return nil
}

// saFlags maps the service's field names to the flags that set them.
var saFlags = map[string]string{
	serviceaccounts.FieldUserID: "--user-id", serviceaccounts.FieldDescription: "--description",
	serviceaccounts.FieldExpiresAt: "--expires-in", serviceaccounts.FieldNamespaceID: "--namespace",
}

// flagError words a validation error by flag, every failing one.
func flagError(err error) error {
	ve, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	var out []error
	for _, field := range slices.Sorted(maps.Keys(ve.Fields)) {
		name, ok := saFlags[field]
		if !ok {
			name = field
		}
		out = append(out, fmt.Errorf("%s: %s", name, ve.Fields[field].Message))
	}
	return errors.Join(out...)
}

// writeAccounts prints list as a table.
func writeAccounts(w io.Writer, acc *rbac.Access, list []serviceaccounts.Account) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER ID\tNAMESPACE\tCREATED\tEXPIRES\tLAST USED\tSTATUS\tSYNC")
	for _, a := range list {
		ns, _ := acc.Tree().Get(a.NamespaceID)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.UserID, ns.Name, stamp(a.IssuedAt, "-"),
			stamp(a.ExpiresAt, "never"), stamp(a.AccessedAt, "never"), a.Status, a.Sync.State)
	}
	return tw.Flush()
}

// stamp formats t in UTC, or none when it is unset.
func stamp(t time.Time, none string) string {
	if t.IsZero() {
		return none
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
