package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/web"
)

func newServeCommand() *cobra.Command {
	var (
		flags     cli.StoreFlags
		opt       web.Options
		staleDays int
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Show the store's estate in a browser: hosts, the map, questions across the estate, the audit trail",
		Long: `Serve the store as a web application: every host with its OS, end of life, purpose,
last survey, coverage and findings (sortable, filterable, shareable as links); each
host's handover document with its notes, surveys, what changed, verify runs and
downloads (snapshot, report, spec, goss, the Ansible project); the map of the estate
with its waves; questions answered over every host (log shippers, cron zones,
listeners on all interfaces, end of life, findings of a kind); and the audit trail.
In English and Japanese. Everything is in the binary: nothing is fetched from the
network.

It listens on 127.0.0.1:8080 unless --listen says otherwise. A token is printed
once at start (or taken from TROWEL_TOKEN): notes on hosts need it. On any other
address every page needs it, and trowel serve refuses to start without TLS
(--tls-cert, --tls-key) or --behind-proxy (a reverse proxy in front terminates TLS).

Exit codes: 0 stopped (Ctrl-C); 2 usage error, or the store could not be opened or
the address listened on.`,
		Example: `  trowel serve
  trowel serve --store postgres://trowel_ops@db.example.com/trowel --listen 10.0.0.5:8443 --tls-cert web.crt --tls-key web.key
  TROWEL_TOKEN=... trowel serve --listen 127.0.0.1:8080 --behind-proxy`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := flags.OpenExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			opt.Token, opt.Out = os.Getenv(web.TokenEnv), cmd.ErrOrStderr()
			cfg := web.Config{Store: s, Operator: store.CurrentOperator(os.Args), StaleDays: staleDays, Log: cmd.ErrOrStderr()}
			return web.Serve(cmd.Context(), cfg, opt)
		},
	}
	flags.Register(cmd.Flags())
	cmd.Flags().StringVar(&opt.Listen, "listen", "127.0.0.1:8080", "address to listen on (HOST:PORT)")
	cmd.Flags().StringVar(&opt.TLSCert, "tls-cert", "", "serve HTTPS with this certificate (PEM)")
	cmd.Flags().StringVar(&opt.TLSKey, "tls-key", "", "the certificate's private key (PEM)")
	cmd.Flags().BoolVar(&opt.BehindProxy, "behind-proxy", false, "a reverse proxy in front terminates TLS: every page needs the token, X-Forwarded-For names the client")
	cmd.Flags().IntVar(&staleDays, "stale-days", 30, "count a host as not surveyed lately after this many days")
	return cmd
}
