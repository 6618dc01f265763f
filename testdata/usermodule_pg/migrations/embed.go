// Package migrations is a user's script directory, embedded.
package migrations

import "embed"

// FS holds versions/.
//
//go:embed versions
var FS embed.FS
