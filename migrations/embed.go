// Package migrations is the example application's script directory,
// compiled into the program: cmd/exampleapp upgrades its database from it at
// start-up. autogen itself reads only versions/*.sql and ignores this file.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed versions
var files embed.FS

// Scripts is the script directory (holding versions/) as runner.New takes
// it.
func Scripts() fs.FS { return files }
