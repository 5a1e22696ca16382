package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/config"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// firstRunTTL is how long the first-run sign-in link works.
const firstRunTTL = 24 * time.Hour

// printFirstRunLink prints a single-use recovery sign-in link while nobody
// can sign in any other way: no administrators configured, no user ever
// signed in through Pomerium and no role granted yet.
func printFirstRunLink(ctx context.Context, cfg *config.Config, store db.Store, recovery *authn.Recovery, out io.Writer) error {
	if out == nil || len(cfg.Administrators) > 0 {
		return nil
	}
	seen, err := store.SearchUsers(ctx, "", 1)
	if err != nil {
		return fmt.Errorf("first run: %w", err)
	}
	grants, err := store.ListPermissions(ctx, "")
	if err != nil {
		return fmt.Errorf("first run: %w", err)
	}
	if len(seen) > 0 || len(grants) > 0 {
		return nil
	}
	token, rec, err := recovery.Issue(ctx, db.GlobalNamespaceID, firstRunTTL, true)
	if err != nil {
		return fmt.Errorf("first run: issue sign-in link: %w", err)
	}
	_, err = fmt.Fprintf(out, "\nNobody can sign in to this console yet. Open this one-time link to sign in as an admin of Global\n"+
		"(it works once, until %s; run `pomerium-console generate-recovery-token` for another):\n\n  %s\n\n",
		rec.ExpiresAt.Local().Format(time.RFC1123), signInURL(cfg, token))
	return err
}

// signInURL is the sign-in page on the address the console listens on.
func signInURL(cfg *config.Config, token string) string {
	scheme := "http"
	if cfg.TLSEnabled() {
		scheme = "https"
	}
	host, port, err := net.SplitHostPort(cfg.BindAddr)
	if err != nil {
		host, port = "localhost", "8701"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	u := url.URL{Scheme: scheme, Host: net.JoinHostPort(host, port), Path: "/sign-in", RawQuery: url.Values{"token": {token}}.Encode()}
	return u.String()
}
