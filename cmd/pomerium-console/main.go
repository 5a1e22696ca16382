// Command pomerium-console is the self-hosted management console for
// Pomerium: `serve` runs it, `migrate` manages its database schema,
// `generate-recovery-token` mints an emergency sign-in token, `export` and
// `import` move configuration to and from a Pomerium config.yaml.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := newRootCommand().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}
