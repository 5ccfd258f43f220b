package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// projectURL is where stet lives; it goes into the User-Agent.
const projectURL = "https://github.com/stet-archive/stet"

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise it comes from the module's build info.
var version = ""

// stetVersion returns stet's version: the linker-set one, else the
// module version from build info, else "dev".
func stetVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func userAgent() string {
	return fmt.Sprintf("stet/%s (+%s)", stetVersion(), projectURL)
}

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print stet's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(a.env.Stdout, "stet %s\n", stetVersion())
			return nil
		},
	}
}
